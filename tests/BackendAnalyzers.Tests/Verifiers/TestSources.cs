namespace BackendAnalyzers.Tests.Verifiers;

/// <summary>Source shared by test compilations.</summary>
public static class TestSources
{
    /// <summary>The global usings a web project with ImplicitUsings has, plus EF Core.</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Mvc;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.EntityFrameworkCore;
        global using Microsoft.Extensions.DependencyInjection;
        """;

    /// <summary>A small EF Core model most tests use: <c>AppDb</c> with Patients, Doctors and Appointments.</summary>
    public const string ClinicModel = """
        namespace Clinic;

        public class Patient
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
            public string Email { get; set; } = "";
            public int DoctorId { get; set; }
            public Doctor? Doctor { get; set; }
            public List<Appointment> Appointments { get; set; } = new();
        }

        public class Doctor
        {
            public int DoctorId { get; set; }
            public string Name { get; set; } = "";
            public List<Patient> Patients { get; set; } = new();
        }

        public class Appointment
        {
            public int Id { get; set; }
            public int PatientId { get; set; }
            public DateTime StartsAt { get; set; }
            public Patient? Patient { get; set; }
        }

        public class Country
        {
            public int Id { get; set; }
            public string Name { get; set; } = "";
        }

        public class AppDb : DbContext
        {
            public AppDb(DbContextOptions<AppDb> options) : base(options) { }
            public DbSet<Patient> Patients => Set<Patient>();
            public DbSet<Doctor> Doctors => Set<Doctor>();
            public DbSet<Appointment> Appointments => Set<Appointment>();
            public DbSet<Country> Countries => Set<Country>();
        }

        public record PatientDto(int Id, string Name);
        """;
}
