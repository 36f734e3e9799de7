// BA5005 - CORS allows any origin with credentials.
// The policy below was written for a patient portal served from "somewhere": it accepts every origin and allows
// credentials. A browser then lets any website the user visits call this API with the user's cookies and read
// the answers (appointments, prescriptions). The fix is to list the portal's origins:
//     policy.WithOrigins("https://portal.clinic.example").AllowAnyHeader().AllowCredentials();
// (AllowAnyOrigin() with AllowCredentials() is refused by ASP.NET Core at run time; SetIsOriginAllowed(_ => true)
// is not, which is why it is the form that ships.)
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace BackendSample.Problems;

public static class PatientPortalCors
{
    public const string PolicyName = "patient-portal";

    /// <summary>Registers the portal's CORS policy: services.AddCors(PatientPortalCors.Configure).</summary>
    public static void Configure(CorsOptions options) =>
        // BA5005: every origin, with credentials.
        options.AddPolicy(PolicyName, policy => policy
            .SetIsOriginAllowed(_ => true)
            .AllowAnyHeader()
            .WithMethods("GET", "POST")
            .AllowCredentials());
}
