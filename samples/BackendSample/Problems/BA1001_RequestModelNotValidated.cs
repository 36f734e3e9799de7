// BA1001 - Request model is never validated.
// This controller has no [ApiController], so ASP.NET Core fills ModelState but never rejects an invalid model:
// the validation attributes on CreatePatientRequest are checked and then ignored. PatientNote has no validation
// at all. The clean PatientsController under /api has [ApiController], which answers 400 with the errors.
using BackendSample.Features.Patients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[Route("problems/ba1001")]
public sealed class RequestModelNotValidatedController(IPatientService patients) : ControllerBase
{
    /// <summary>(a) Attributes that nothing enforces: an empty name or a malformed email reaches the service.</summary>
    [HttpPost("patients")]
    [Authorize]
    public async Task<IActionResult> Create([FromBody] CreatePatientRequest request, CancellationToken cancellationToken)
    {
        // BA1001: Fix: if (!ModelState.IsValid) { return ValidationProblem(ModelState); }
        var outcome = await patients.CreateAsync(request, cancellationToken);
        return outcome is { Succeeded: true, Value: { } created }
            ? Ok(created)
            : Problem(detail: outcome.Detail, statusCode: outcome.StatusCode);
    }

    /// <summary>(b) A model with no validation metadata and no validator: any text of any length is accepted.</summary>
    [HttpPost("patients/{id:int}/notes")]
    [Authorize]
    public IActionResult AddNote(int id, [FromBody] PatientNote note) =>
        // BA1001: PatientNote says nothing about what a valid note is.
        Accepted(new { id, note.Text.Length });
}

public sealed record PatientNote(string Text, string Author);
