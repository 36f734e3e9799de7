using BackendSample.Domain;
using Microsoft.EntityFrameworkCore;

namespace BackendSample.Data;

/// <summary>Creates the database on start and fills it with a small, deterministic clinic when it is empty.</summary>
public sealed class ClinicSeeder(ClinicDbContext db, TimeProvider clock, ILogger<ClinicSeeder> logger)
{
    private static readonly string[] FirstNames =
    [
        "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Mateo",
        "Amelia", "Levi", "Harper", "Ezra", "Evelyn", "James", "Aria", "Leo", "Chloe", "Kai",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Garcia", "Brown", "Miller", "Davis", "Rodriguez", "Martinez", "Lopez", "Wilson",
        "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
    ];

    private static readonly (string First, string Last, string Specialty)[] Doctors =
    [
        ("Grace", "Hopper", "Cardiology"),
        ("Alan", "Turing", "Neurology"),
        ("Ada", "Lovelace", "Pediatrics"),
        ("Edsger", "Dijkstra", "General Practice"),
        ("Barbara", "Liskov", "Dermatology"),
        ("Donald", "Knuth", "General Practice"),
        ("Frances", "Allen", "Orthopedics"),
        ("Tony", "Hoare", "Cardiology"),
    ];

    private static readonly (string Medication, string Dosage)[] Medications =
    [
        ("Amoxicillin", "500 mg three times a day"),
        ("Ibuprofen", "400 mg every 8 hours as needed"),
        ("Lisinopril", "10 mg once a day"),
        ("Metformin", "500 mg twice a day"),
        ("Atorvastatin", "20 mg once a day at night"),
        ("Cetirizine", "10 mg once a day"),
    ];

    private static readonly string[] Reasons =
    [
        "Annual check-up", "Follow-up visit", "Persistent headache", "Skin rash", "Knee pain",
        "Blood pressure review", "Vaccination", "Chest discomfort",
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await db.Database.EnsureCreatedAsync(cancellationToken);
        if (await db.Patients.AsNoTracking().AnyAsync(cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = new DateTime(now.Year, now.Month, now.Day, 0, 0, 0, DateTimeKind.Utc);

        var doctors = Doctors
            .Select(d => new Doctor { FirstName = d.First, LastName = d.Last, Specialty = d.Specialty })
            .ToList();

        var patients = new List<Patient>(capacity: 60);
        for (var i = 0; i < 60; i++)
        {
            var firstName = FirstNames[i % FirstNames.Length];
            var lastName = LastNames[(i * 7 + i / FirstNames.Length) % LastNames.Length];
            patients.Add(new Patient
            {
                FirstName = firstName,
                LastName = lastName,
                Email = $"{firstName}.{lastName}.{i + 1}@example.org".ToLowerInvariant(),
                Phone = $"+1-555-01{i:00}",
                DateOfBirth = new DateOnly(1950 + (i * 13 % 60), 1 + (i % 12), 1 + (i % 28)),
                CreatedAt = today.AddDays(-400 + i),
            });
        }

        var appointments = new List<Appointment>(capacity: 120);
        for (var i = 0; i < 120; i++)
        {
            // Half in the past (completed or cancelled), half in the next weeks; one doctor never double-booked.
            var doctor = doctors[i % doctors.Count];
            var startsAt = today.AddDays(i / doctors.Count - 7).AddHours(9 + (i % 3));
            appointments.Add(new Appointment
            {
                Patient = patients[(i * 11) % patients.Count],
                Doctor = doctor,
                StartsAt = startsAt,
                EndsAt = startsAt.AddMinutes(30),
                Reason = Reasons[i % Reasons.Length],
                Status = startsAt < now
                    ? (i % 10 == 0 ? AppointmentStatus.Cancelled : AppointmentStatus.Completed)
                    : AppointmentStatus.Scheduled,
            });
        }

        var prescriptions = new List<Prescription>(capacity: 40);
        for (var i = 0; i < 40; i++)
        {
            var (medication, dosage) = Medications[i % Medications.Length];
            var issuedAt = today.AddDays(-i * 3).AddHours(10);
            prescriptions.Add(new Prescription
            {
                Patient = patients[(i * 5) % patients.Count],
                Doctor = doctors[i % doctors.Count],
                Medication = medication,
                Dosage = dosage,
                IssuedAt = issuedAt,
                ValidUntil = DateOnly.FromDateTime(issuedAt.AddDays(90)),
            });
        }

        db.Doctors.AddRange(doctors);
        db.Patients.AddRange(patients);
        db.Appointments.AddRange(appointments);
        db.Prescriptions.AddRange(prescriptions);
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation(
            "Seeded {Doctors} doctors, {Patients} patients, {Appointments} appointments and {Prescriptions} prescriptions",
            doctors.Count, patients.Count, appointments.Count, prescriptions.Count);
    }
}
