using BackendSample.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BackendSample.Data;

public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : DbContext(options)
{
    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<Doctor> Doctors => Set<Doctor>();

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<Prescription> Prescriptions => Set<Prescription>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no time zone type: everything is stored as UTC and read back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Patient>(patient =>
        {
            patient.Property(p => p.FirstName).HasMaxLength(100);
            patient.Property(p => p.LastName).HasMaxLength(100);
            patient.Property(p => p.Email).HasMaxLength(254);
            patient.Property(p => p.Phone).HasMaxLength(32);
        });

        modelBuilder.Entity<Doctor>(doctor =>
        {
            doctor.Property(d => d.FirstName).HasMaxLength(100);
            doctor.Property(d => d.LastName).HasMaxLength(100);
            doctor.Property(d => d.Specialty).HasMaxLength(100);
        });

        modelBuilder.Entity<Appointment>(appointment =>
        {
            appointment.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            appointment.Property(a => a.Reason).HasMaxLength(500);
            appointment.HasOne(a => a.Patient).WithMany(p => p.Appointments).OnDelete(DeleteBehavior.Restrict);
            appointment.HasOne(a => a.Doctor).WithMany(d => d.Appointments).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Prescription>(prescription =>
        {
            prescription.Property(p => p.Medication).HasMaxLength(200);
            prescription.Property(p => p.Dosage).HasMaxLength(200);
            prescription.HasOne(p => p.Patient).WithMany(p => p.Prescriptions).OnDelete(DeleteBehavior.Restrict);
            prescription.HasOne(p => p.Doctor).WithMany().OnDelete(DeleteBehavior.Restrict);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
