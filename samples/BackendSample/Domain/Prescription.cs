using Microsoft.EntityFrameworkCore;

namespace BackendSample.Domain;

[Index(nameof(IssuedAt))]
public sealed class Prescription
{
    public int Id { get; set; }

    public int PatientId { get; set; }

    public Patient Patient { get; set; } = null!;

    public int DoctorId { get; set; }

    public Doctor Doctor { get; set; } = null!;

    public required string Medication { get; set; }

    public required string Dosage { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateOnly ValidUntil { get; set; }
}
