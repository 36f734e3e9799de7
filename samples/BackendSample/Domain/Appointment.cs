using Microsoft.EntityFrameworkCore;

namespace BackendSample.Domain;

// DoctorId leads the composite index, so EF Core does not add a separate foreign-key index for it.
[Index(nameof(DoctorId), nameof(StartsAt))]
[Index(nameof(StartsAt))]
[Index(nameof(EndsAt))]
[Index(nameof(Status))]
public sealed class Appointment
{
    public int Id { get; set; }

    public int PatientId { get; set; }

    public Patient Patient { get; set; } = null!;

    public int DoctorId { get; set; }

    public Doctor Doctor { get; set; } = null!;

    public DateTime StartsAt { get; set; }

    public DateTime EndsAt { get; set; }

    public AppointmentStatus Status { get; set; }

    public required string Reason { get; set; }
}

public enum AppointmentStatus
{
    Scheduled,
    Completed,
    Cancelled,
}
