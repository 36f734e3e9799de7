using System.ComponentModel.DataAnnotations;

namespace BackendSample.Features.Doctors;

public sealed record DoctorSummary(int Id, string FirstName, string LastName, string Specialty);

public sealed record SaveDoctorRequest(
    [Required, StringLength(100, MinimumLength = 1)] string FirstName,
    [Required, StringLength(100, MinimumLength = 1)] string LastName,
    [Required, StringLength(100, MinimumLength = 2)] string Specialty);
