using Microsoft.EntityFrameworkCore;

namespace BackendSample.Domain;

[Index(nameof(LastName))]
[Index(nameof(Email), IsUnique = true)]
public sealed class Patient
{
    public int Id { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public DateOnly DateOfBirth { get; set; }

    /// <summary>Stored trimmed and lower-cased so the unique index is case-insensitive.</summary>
    public required string Email { get; set; }

    public string? Phone { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<Appointment> Appointments { get; } = [];

    public List<Prescription> Prescriptions { get; } = [];
}
