using System.ComponentModel.DataAnnotations;
using BackendSample.Domain;

namespace BackendSample.Features.Appointments;

public sealed record AppointmentSummary(
    int Id,
    int PatientId,
    string PatientName,
    int DoctorId,
    string DoctorName,
    DateTime StartsAt,
    DateTime EndsAt,
    AppointmentStatus Status,
    string Reason);

public sealed record CreateAppointmentRequest(
    [Range(1, int.MaxValue)] int PatientId,
    [Range(1, int.MaxValue)] int DoctorId,
    [Required] DateTimeOffset? StartsAt,
    [Range(10, 240)] int DurationMinutes,
    [Required, StringLength(500, MinimumLength = 3)] string Reason);

/// <summary>Optional filters of the appointment list; every one maps to an indexed column.</summary>
public sealed record AppointmentFilter(
    int? PatientId = null,
    int? DoctorId = null,
    DateTime? From = null,
    DateTime? To = null,
    AppointmentStatus? Status = null);
