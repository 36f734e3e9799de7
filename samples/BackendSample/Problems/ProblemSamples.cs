// Wiring for the Problems/ samples: one file per rule (BAxxxx_Name.cs) holds the code that breaks that rule;
// this file only registers their services and maps their minimal API endpoints. Controllers are found by MapControllers.
namespace BackendSample.Problems;

public static class ProblemSamples
{
    public static IServiceCollection AddProblemSamples(this IServiceCollection services)
    {
        services.AddScoped<IAppointmentHistory, AppointmentHistory>();
        return services;
    }

    public static IEndpointRouteBuilder MapProblemSamples(this IEndpointRouteBuilder app)
    {
        app.MapUnboundedListProblems();
        return app;
    }
}
