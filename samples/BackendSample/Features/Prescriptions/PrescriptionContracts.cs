using System.ComponentModel.DataAnnotations;

namespace BackendSample.Features.Prescriptions;

public sealed record PrescriptionSummary(
    int Id,
    int PatientId,
    int DoctorId,
    string DoctorName,
    string Medication,
    string Dosage,
    DateTime IssuedAt,
    DateOnly ValidUntil);

public sealed record CreatePrescriptionRequest(
    [Range(1, int.MaxValue)] int PatientId,
    [Range(1, int.MaxValue)] int DoctorId,
    [Required, StringLength(200, MinimumLength = 2)] string Medication,
    [Required, StringLength(200, MinimumLength = 2)] string Dosage,
    [Range(1, 365)] int ValidForDays);
