using System.Text.Json.Serialization;
using BackendSample.Data;
using BackendSample.Features.Appointments;
using BackendSample.Features.Doctors;
using BackendSample.Features.Patients;
using BackendSample.Features.Prescriptions;
using BackendSample.Features.Stats;
using BackendSample.Infrastructure;
using BackendSample.Problems;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);

// Data: SQLite file from configuration (no credentials in it). AddDbContextFactory registers both the
// factory and the request-scoped ClinicDbContext.
var connectionString = builder.Configuration.GetConnectionString("Clinic")
    ?? throw new InvalidOperationException("Connection string 'Clinic' is not configured.");
builder.Services.AddDbContextFactory<ClinicDbContext>(options => options.UseSqlite(connectionString));
builder.Services.AddScoped<ClinicSeeder>();

// Application services.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddMemoryCache();
builder.Services.AddScoped<IPatientService, PatientService>();
builder.Services.AddScoped<IDoctorService, DoctorService>();
builder.Services.AddScoped<IAppointmentService, AppointmentService>();
builder.Services.AddScoped<IPrescriptionService, PrescriptionService>();
builder.Services.AddScoped<IClinicStatsService, ClinicStatsService>();
builder.Services.AddProblemSamples();

// Authentication: reads are public, every write needs the X-Api-Key header (key from configuration: Auth:ApiKey).
builder.Services
    .AddAuthentication(ApiKeyAuthenticationDefaults.Scheme)
    .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(
        ApiKeyAuthenticationDefaults.Scheme,
        options => options.ExpectedKey = builder.Configuration["Auth:ApiKey"]);
builder.Services.AddAuthorization();

// HTTP: errors as RFC 9457 problem details, validation for both controllers ([ApiController]) and minimal APIs.
builder.Services.AddProblemDetails();
builder.Services.Configure<ExceptionHandlerOptions>(options =>
    // Unbindable input (a bad enum or date in the query string) is the client's fault: 400, not 500.
    options.StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
        ? badRequest.StatusCode
        : StatusCodes.Status500InternalServerError);
builder.Services.AddValidation();
builder.Services
    .AddControllers()
    .AddJsonOptions(options => options.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<ClinicSeeder>().SeedAsync(app.Lifetime.ApplicationStopping);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapControllers();
app.MapDoctorEndpoints();
app.MapAppointmentEndpoints();
app.MapClinicStatsEndpoints();
app.MapProblemSamples();

app.Run();

public partial class Program { }
