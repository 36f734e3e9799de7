// BA5001 - Mutating endpoint allows anonymous access.
// The clinic API lets anyone read and requires the API key for every write (Program.cs adds authentication and
// authorization; the feature endpoints carry [Authorize] or RequireAuthorization()). The endpoint below was added
// later and forgot: anyone can delete a patient's notes. The fix adds [Authorize] to the action; for a minimal API
// it appends .RequireAuthorization() to the Map call. An endpoint that is public on purpose says so with
// [AllowAnonymous].
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba5001")]
public sealed class PatientNotesController : ControllerBase
{
    // BA5001: a DELETE with no authorization requirement.
    [HttpDelete("patients/{patientId:int}/notes")]
    public IActionResult DeleteNotes(int patientId) => NoContent();
}
