using System.ComponentModel.DataAnnotations;

namespace BackendSample.Features.Patients;

public sealed record PatientSummary(int Id, string FirstName, string LastName, DateOnly DateOfBirth, string Email);

public sealed record PatientDetails(
    int Id,
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string Email,
    string? Phone,
    DateTime CreatedAt,
    int UpcomingAppointments);

public sealed record CreatePatientRequest(
    [Required, StringLength(100, MinimumLength = 1)] string FirstName,
    [Required, StringLength(100, MinimumLength = 1)] string LastName,
    [Required] DateOnly? DateOfBirth,
    [Required, EmailAddress, StringLength(254)] string Email,
    [Phone, StringLength(32)] string? Phone);

public sealed record UpdatePatientRequest(
    [Required, StringLength(100, MinimumLength = 1)] string FirstName,
    [Required, StringLength(100, MinimumLength = 1)] string LastName,
    [Required, EmailAddress, StringLength(254)] string Email,
    [Phone, StringLength(32)] string? Phone);
