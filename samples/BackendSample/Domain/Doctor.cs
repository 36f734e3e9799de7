using Microsoft.EntityFrameworkCore;

namespace BackendSample.Domain;

[Index(nameof(LastName))]
[Index(nameof(Specialty))]
public sealed class Doctor
{
    public int Id { get; set; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required string Specialty { get; set; }

    public List<Appointment> Appointments { get; } = [];
}
