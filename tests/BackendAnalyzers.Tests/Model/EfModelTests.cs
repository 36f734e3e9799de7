using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendAnalyzers.Tests.Model;

public class EfModelTests
{
    private static (ModelTestHost Host, EfModel Model) Build(params string[] sources)
    {
        var host = ModelTestHost.Create(includeClinicModel: false, sources).AssertNoErrors();
        var model = EfModel.Build(host.Compilation, new KnownTypes(host.Compilation), new FunctionBodies(host.Compilation), CancellationToken.None);
        return (host, model);
    }

    private static EfEntity Entity(ModelTestHost host, EfModel model, string name) =>
        model.GetEntity(host.Type(name)) ?? throw new InvalidOperationException($"'{name}' is not an entity of the model.");

    private static string Key(EfEntity entity) => string.Join(",", entity.PrimaryKey);

    private static string[] Indexes(EfEntity entity) => entity.Indexes.Select(i => string.Join(",", i)).OrderBy(i => i, StringComparer.Ordinal).ToArray();

    private static string[] ForeignKeys(EfEntity entity) => entity.ForeignKeys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    // ---------------------------------------------------------------- entity types

    [Fact]
    public void Entities_come_from_DbSets_Set_calls_Entity_calls_and_configuration_classes()
    {
        var (host, model) = Build("""
            public class Patient { public int Id { get; set; } }
            public class Doctor { public int Id { get; set; } }
            public class Room { public int Id { get; set; } }
            public class Invoice { public int Id { get; set; } }
            public class NotAnEntity { public int Id { get; set; } }
            public class ViewModel { public int Id { get; set; } }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients { get; set; } = null!;
                public IQueryable<Doctor> Doctors => Set<Doctor>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Room>();
            }

            public class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
            {
                public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Invoice> builder) { }
            }

            public class Unrelated
            {
                public List<NotAnEntity> Items { get; } = new();
                public void Set<T>() { }
                public void Use() => Set<ViewModel>();
            }
            """);

        Assert.True(model.IsEntity(host.Type("Patient")));
        Assert.True(model.IsEntity(host.Type("Doctor")));
        Assert.True(model.IsEntity(host.Type("Room")));
        Assert.True(model.IsEntity(host.Type("Invoice")));
        Assert.False(model.IsEntity(host.Type("NotAnEntity")));
        Assert.False(model.IsEntity(host.Type("ViewModel")));
        Assert.Equal(4, model.Entities.Count());

        Assert.NotNull(model.GetEntity(host.Type("Room"))!.FluentConfiguration);
    }

    [Fact]
    public void Files_facts_kept_from_an_earlier_compilation_give_the_same_model()
    {
        var host = ModelTestHost.Create(includeClinicModel: false, """
            public class Patient { public int Id { get; set; } public string Email { get; set; } = ""; }
            public class Report { public string Name { get; set; } = ""; }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Report> Reports => Set<Report>();

                protected override void OnConfiguring(DbContextOptionsBuilder options) =>
                    options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);

                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>().HasIndex(p => p.Email);
                    modelBuilder.Entity<Report>().HasNoKey();
                }
            }
            """).AssertNoErrors();

        // Facts read once per tree (as an analyzer keeps them), then used for a second compilation of the same trees.
        var kept = new Dictionary<SyntaxTree, EfFileFacts>();
        var reads = 0;
        EfFileFacts Facts(SyntaxTree tree)
        {
            if (!kept.TryGetValue(tree, out var facts))
            {
                reads++;
                facts = EfFileFacts.Read(tree);
                kept.Add(tree, facts);
            }

            return facts;
        }

        var first = EfModel.Build(host.Compilation, new KnownTypes(host.Compilation), new FunctionBodies(host.Compilation), Facts, CancellationToken.None);
        var readsOfFirst = reads;
        var next = host.Compilation.WithAssemblyName("Next");
        var second = EfModel.Build(next, new KnownTypes(next), new FunctionBodies(next), Facts, CancellationToken.None);

        Assert.Equal(readsOfFirst, reads);
        foreach (var model in new[] { first, second })
        {
            var compilation = model == first ? host.Compilation : next;
            Assert.True(model.NoTrackingByDefault);
            Assert.True(model.GetEntity(compilation.GetTypeByMetadataName("Report"))!.IsKeyless);
            Assert.True(model.GetEntity(compilation.GetTypeByMetadataName("Patient"))!.HasIndexStartingWith("Email"));
        }
    }

    [Fact]
    public void Index_name_arguments_are_not_columns()
    {
        var (host, model) = Build("""
            public class Patient { public int Id { get; set; } public string Email { get; set; } = ""; public string Code { get; set; } = ""; public string Zip { get; set; } = ""; }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>().HasIndex(p => p.Email, "IX_Code");
                    modelBuilder.Entity<Patient>().HasIndex(new[] { "Zip" }, "IX_Id");
                }
            }
            """);

        Assert.Equal(new[] { "Email", "Zip" }, Indexes(Entity(host, model, "Patient")));
    }

    [Fact]
    public void Fluent_configuration_location_is_the_Entity_call_or_the_configuration_class()
    {
        var (host, model) = Build("""
            public class Patient { public int Id { get; set; } }
            public class Invoice { public int Id { get; set; } }
            public class Plain { public int Id { get; set; } }

            public class Db : DbContext
            {
                public DbSet<Plain> Plains => Set<Plain>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Patient>(b => b.HasIndex(p => p.Id));
            }

            public class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
            {
                public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Invoice> builder) { }
            }
            """);

        Assert.NotNull(Entity(host, model, "Patient").FluentConfiguration);
        Assert.NotNull(Entity(host, model, "Invoice").FluentConfiguration);
        Assert.Null(Entity(host, model, "Plain").FluentConfiguration);
    }

    // ---------------------------------------------------------------- primary keys

    [Fact]
    public void Primary_key_by_convention_is_Id_then_TypeId_case_insensitively_and_inherited()
    {
        var (host, model) = Build("""
            public class Patient { public int ID { get; set; } public int PatientId { get; set; } }
            public class Doctor { public int DoctorId { get; set; } public string Name { get; set; } = ""; }
            public abstract class EntityBase { public Guid Id { get; set; } }
            public class Visit : EntityBase { public DateTime At { get; set; } }
            public class Note { public string Text { get; set; } = ""; }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Doctor> Doctors => Set<Doctor>();
                public DbSet<Visit> Visits => Set<Visit>();
                public DbSet<Note> Notes => Set<Note>();
            }
            """);

        Assert.Equal("ID", Key(Entity(host, model, "Patient")));
        Assert.Equal("DoctorId", Key(Entity(host, model, "Doctor")));
        Assert.Equal("Id", Key(Entity(host, model, "Visit")));
        Assert.Empty(Entity(host, model, "Note").PrimaryKey);
        Assert.False(Entity(host, model, "Patient").HasExplicitPrimaryKey);
    }

    [Fact]
    public void Convention_foreign_keys_from_collection_navigations_and_the_principal_key()
    {
        var (host, model) = Build("""
            public class Doctor { public int DoctorId { get; set; } public List<Patient> Patients { get; set; } = new(); }
            public class Patient { public int Id { get; set; } public int DoctorId { get; set; } public int Ward { get; set; } }
            public class Ward { public int Code { get; set; } public List<Bed> Beds { get; set; } = new(); }
            public class Bed { public int Id { get; set; } public int WardCode { get; set; } public int Room { get; set; } }
            public class Visit { public int Id { get; set; } public Doctor? Host { get; set; } public int HostDoctorId { get; set; } }

            public class Db : DbContext
            {
                public DbSet<Doctor> Doctors => Set<Doctor>();
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Ward> Wards => Set<Ward>();
                public DbSet<Bed> Beds => Set<Bed>();
                public DbSet<Visit> Visits => Set<Visit>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Ward>().HasKey(w => w.Code);
            }
            """);

        Assert.Equal(new[] { "DoctorId" }, ForeignKeys(Entity(host, model, "Patient")));
        Assert.Equal(new[] { "WardCode" }, ForeignKeys(Entity(host, model, "Bed")));
        Assert.Equal(new[] { "HostDoctorId" }, ForeignKeys(Entity(host, model, "Visit")));
        Assert.True(Entity(host, model, "Patient").HasIndexStartingWith("DoctorId"));
        Assert.False(Entity(host, model, "Patient").HasIndexStartingWith("Ward"));
    }

    [Fact]
    public void Primary_key_from_attributes()
    {
        var (host, model) = Build("""
            using System.ComponentModel.DataAnnotations;

            public class Patient { [Key] public int Number { get; set; } public int Id { get; set; } }
            [PrimaryKey(nameof(CountryCode), nameof(Number))]
            public class Phone { public string CountryCode { get; set; } = ""; public string Number { get; set; } = ""; public int Id { get; set; } }
            [Keyless]
            public class Report { public int Id { get; set; } }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Phone> Phones => Set<Phone>();
                public DbSet<Report> Reports => Set<Report>();
            }
            """);

        Assert.Equal("Number", Key(Entity(host, model, "Patient")));
        Assert.True(Entity(host, model, "Patient").HasExplicitPrimaryKey);
        Assert.Equal("CountryCode,Number", Key(Entity(host, model, "Phone")));
        Assert.True(Entity(host, model, "Report").IsKeyless);
        Assert.Empty(Entity(host, model, "Report").PrimaryKey);
    }

    [Fact]
    public void Primary_key_from_OnModelCreating()
    {
        var (host, model) = Build("""
            public class Patient { public int Id { get; set; } public string Code { get; set; } = ""; }
            public class Enrollment { public int StudentId { get; set; } public int CourseId { get; set; } }
            public class Tag { public string Name { get; set; } = ""; public int Id { get; set; } }
            public class Report { public int Id { get; set; } }

            public class Db : DbContext
            {
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>().HasKey(p => p.Code);
                    modelBuilder.Entity<Enrollment>(e =>
                    {
                        e.HasKey(x => new { x.StudentId, x.CourseId });
                    });
                    modelBuilder.Entity<Tag>().HasKey("Name");
                    modelBuilder.Entity<Report>().HasNoKey();
                }
            }
            """);

        Assert.Equal("Code", Key(Entity(host, model, "Patient")));
        Assert.Equal("StudentId,CourseId", Key(Entity(host, model, "Enrollment")));
        Assert.Equal("Name", Key(Entity(host, model, "Tag")));
        Assert.True(Entity(host, model, "Report").IsKeyless);
        Assert.Empty(Entity(host, model, "Report").PrimaryKey);
    }

    [Fact]
    public void Primary_key_from_an_entity_type_configuration()
    {
        var (host, model) = Build("""
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            public class Order { public int Id { get; set; } public Guid Number { get; set; } }
            public class OrderConfiguration : IEntityTypeConfiguration<Order>
            {
                public void Configure(EntityTypeBuilder<Order> builder)
                {
                    builder.HasKey(o => o.Number);
                    builder.HasIndex(o => o.Id);
                }
            }
            """);

        Assert.Equal("Number", Key(Entity(host, model, "Order")));
        Assert.Equal(new[] { "Id" }, Indexes(Entity(host, model, "Order")));
    }

    [Fact]
    public void Fluent_key_wins_over_annotations_as_in_EF_Core()
    {
        var (host, model) = Build("""
            using System.ComponentModel.DataAnnotations;

            public class Patient { [Key] public int Number { get; set; } public string Code { get; set; } = ""; }
            [PrimaryKey(nameof(A))]
            public class Pair { public int A { get; set; } public int B { get; set; } }

            public class Db : DbContext
            {
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>().HasKey(p => p.Code);
                    modelBuilder.Entity<Pair>().HasKey(p => new { p.A, p.B });
                }
            }
            """);

        Assert.Equal("Code", Key(Entity(host, model, "Patient")));
        Assert.Equal("A,B", Key(Entity(host, model, "Pair")));
    }

    [Fact]
    public void Derived_entity_shares_the_key_its_base_entity_states()
    {
        var (host, model) = Build("""
            public abstract class Document { public Guid Number { get; set; } public int Id { get; set; } }
            public class Invoice : Document { public decimal Total { get; set; } }
            public class Letter : Document { }

            public class Db : DbContext
            {
                public DbSet<Document> Documents => Set<Document>();
                public DbSet<Invoice> Invoices => Set<Invoice>();
                public DbSet<Letter> Letters => Set<Letter>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Document>().HasKey(d => d.Number);
            }
            """);

        Assert.Equal("Number", Key(Entity(host, model, "Document")));
        Assert.Equal("Number", Key(Entity(host, model, "Invoice")));
        Assert.Equal("Number", Key(Entity(host, model, "Letter")));
    }

    // ---------------------------------------------------------------- indexes and alternate keys

    [Fact]
    public void Indexes_from_attributes_and_fluent_calls()
    {
        var (host, model) = Build("""
            [Index(nameof(Email), IsUnique = true)]
            [Index(nameof(LastName), nameof(FirstName))]
            public class Patient
            {
                public int Id { get; set; }
                public string Email { get; set; } = "";
                public string LastName { get; set; } = "";
                public string FirstName { get; set; } = "";
                public string Phone { get; set; } = "";
                public string Code { get; set; } = "";
                public string City { get; set; } = "";
                public string Zip { get; set; } = "";
            }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>(p =>
                    {
                        p.HasIndex(x => x.Phone).IsUnique();
                        p.HasIndex(x => new { x.City, x.Zip });
                        p.HasAlternateKey(x => x.Code);
                    });
                    modelBuilder.Entity<Patient>().HasIndex("Zip");
                }
            }
            """);

        var patient = Entity(host, model, "Patient");
        Assert.Equal(new[] { "City,Zip", "Email", "LastName,FirstName", "Phone", "Zip" }, Indexes(patient));
        Assert.Equal(new[] { "Code" }, patient.AlternateKeys.Select(k => string.Join(",", k)));

        Assert.True(patient.HasIndexStartingWith("Id"));        // primary key
        Assert.True(patient.HasIndexStartingWith("Email"));
        Assert.True(patient.HasIndexStartingWith("LastName"));
        Assert.False(patient.HasIndexStartingWith("FirstName")); // second column only
        Assert.True(patient.HasIndexStartingWith("City"));
        Assert.True(patient.HasIndexStartingWith("Code"));      // alternate key
        Assert.False(patient.HasIndexStartingWith("Nothing"));
    }

    // ---------------------------------------------------------------- foreign keys

    [Fact]
    public void Foreign_keys_by_convention_and_attributes()
    {
        var (host, model) = Build("""
            using System.ComponentModel.DataAnnotations.Schema;

            public class Doctor
            {
                public int Id { get; set; }
                public List<Patient> Patients { get; } = new();
                [ForeignKey("ReferrerId")]
                public List<Patient> Referred { get; } = new();
            }
            public class Ward { public int Id { get; set; } }
            public class Insurer { public int Id { get; set; } }
            public class Patient
            {
                public int Id { get; set; }
                public int DoctorId { get; set; }
                public Doctor? Doctor { get; set; }
                public int HomeWardId { get; set; }
                public Ward? HomeWard { get; set; }
                [ForeignKey(nameof(Payer))]
                public int PayerRef { get; set; }
                public Insurer? Payer { get; set; }
                public int BackupInsurerNumber { get; set; }
                [ForeignKey(nameof(BackupInsurerNumber))]
                public Insurer? Backup { get; set; }
                public int UnrelatedId { get; set; }
                public int? ReferrerId { get; set; }
                public int LabCountry { get; set; }
                public int LabNumber { get; set; }
                [ForeignKey("LabCountry, LabNumber")]
                public Lab? Lab { get; set; }
            }
            public class Lab { public int Country { get; set; } public int Number { get; set; } }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                public DbSet<Doctor> Doctors => Set<Doctor>();
            }
            """);

        Assert.Equal(new[] { "BackupInsurerNumber", "DoctorId", "HomeWardId", "LabCountry", "LabNumber", "PayerRef", "ReferrerId" }, ForeignKeys(Entity(host, model, "Patient")));
        Assert.Empty(ForeignKeys(Entity(host, model, "Doctor")));
        Assert.True(Entity(host, model, "Patient").HasIndexStartingWith("DoctorId"));
        Assert.False(Entity(host, model, "Patient").HasIndexStartingWith("UnrelatedId"));
    }

    [Fact]
    public void Foreign_keys_from_HasForeignKey()
    {
        var (host, model) = Build("""
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            public class Doctor { public int Id { get; set; } public List<Appointment> Appointments { get; } = new(); public Profile? Profile { get; set; } }
            public class Appointment { public int Id { get; set; } public int AttendingDoctor { get; set; } public Doctor? Doctor { get; set; } public int RoomNumber { get; set; } public Room? Room { get; set; } }
            public class Room { public int Id { get; set; } public List<Appointment> Appointments { get; } = new(); }
            public class Profile { public int Id { get; set; } public int OwnerKey { get; set; } public Doctor? Owner { get; set; } }

            public class Db : DbContext
            {
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Appointment>().HasOne(a => a.Doctor).WithMany(d => d.Appointments).HasForeignKey(a => a.AttendingDoctor);
                    modelBuilder.Entity<Doctor>().HasOne(d => d.Profile).WithOne(p => p.Owner).HasForeignKey<Profile>(p => p.OwnerKey);
                }
            }

            public class RoomConfiguration : IEntityTypeConfiguration<Room>
            {
                public void Configure(EntityTypeBuilder<Room> builder) =>
                    builder.HasMany(r => r.Appointments).WithOne(a => a.Room).HasForeignKey("RoomNumber");
            }
            """);

        Assert.Equal(new[] { "AttendingDoctor", "RoomNumber" }, ForeignKeys(Entity(host, model, "Appointment")));
        Assert.Equal(new[] { "OwnerKey" }, ForeignKeys(Entity(host, model, "Profile")));
        Assert.Empty(ForeignKeys(Entity(host, model, "Doctor")));
        Assert.Empty(ForeignKeys(Entity(host, model, "Room")));
    }

    // ---------------------------------------------------------------- how fluent calls are read

    [Fact]
    public void Fluent_calls_through_locals_same_builder_methods_helpers_and_base_configurations()
    {
        var (host, model) = Build("""
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            public class Order { public int Id { get; set; } public string Number { get; set; } = ""; public string Region { get; set; } = ""; public string Code { get; set; } = ""; public DateTime CreatedAt { get; set; } }
            public class Invoice { public int Id { get; set; } public Guid Number { get; set; } public DateTime CreatedAt { get; set; } }

            public abstract class AuditedConfiguration<T> : IEntityTypeConfiguration<T> where T : class
            {
                public virtual void Configure(EntityTypeBuilder<T> builder) => builder.HasIndex("CreatedAt");
            }

            public sealed class InvoiceConfiguration : AuditedConfiguration<Invoice>
            {
                public override void Configure(EntityTypeBuilder<Invoice> builder)
                {
                    base.Configure(builder);
                    builder.HasKey(i => i.Number);
                }
            }

            public class Db : DbContext
            {
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    var orders = modelBuilder.Entity<Order>();
                    orders.HasIndex(o => o.Number);
                    modelBuilder.Entity<Order>().ToTable("Orders").HasIndex(o => o.Region);
                    ConfigureCodes(modelBuilder.Entity<Order>());
                    var viaHelper = Builder(modelBuilder);
                    viaHelper.HasAlternateKey(o => o.CreatedAt);
                }

                private static void ConfigureCodes(EntityTypeBuilder<Order> builder) => builder.HasIndex(o => o.Code);

                private static EntityTypeBuilder<Order> Builder(ModelBuilder modelBuilder) => modelBuilder.Entity<Order>();
            }
            """);

        var order = Entity(host, model, "Order");
        Assert.Equal(new[] { "Code", "Number", "Region" }, Indexes(order));
        Assert.Equal(new[] { "CreatedAt" }, order.AlternateKeys.Select(k => string.Join(",", k))); // bound: the local comes from a helper call
        Assert.Equal("Number", Key(Entity(host, model, "Invoice")));
        Assert.True(model.IsEntity(host.Type("Invoice")));

        // The generic base configuration's calls apply to the entity its derived configuration names.
        Assert.Equal(new[] { "CreatedAt" }, Indexes(Entity(host, model, "Invoice")));
    }

    [Fact]
    public void Types_that_share_an_entity_name_are_told_apart()
    {
        var (host, model) = Build("""
            namespace Sales
            {
                public class Order { public int Id { get; set; } public string Number { get; set; } = ""; }
                public class SalesDb : DbContext
                {
                    public DbSet<Order> Orders => Set<Order>();
                    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Order>().HasIndex(o => o.Number);
                }
            }

            namespace Reports
            {
                public class Order { public int Id { get; set; } public string Number { get; set; } = ""; }
                public class Holder { public List<Order> Orders { get; } = new(); public void Set<T>() { } public void Use() => Set<Order>(); }
            }
            """);

        Assert.True(model.IsEntity(host.Type("Sales.Order")));
        Assert.False(model.IsEntity(host.Type("Reports.Order")));
        Assert.Equal(new[] { "Number" }, Indexes(model.GetEntity(host.Type("Sales.Order"))!));
        Assert.Single(model.Entities);
    }

    [Fact]
    public void A_file_edited_in_another_compilation_is_read_again_and_only_that_file()
    {
        var host = ModelTestHost.Create(includeClinicModel: false, """
            public class Patient { public int Id { get; set; } public string Email { get; set; } = ""; }
            public class Db : DbContext { public DbSet<Patient> Patients => Set<Patient>(); }
            """, """
            public class PatientConfiguration : IEntityTypeConfiguration<Patient>
            {
                public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<Patient> builder) { }
            }
            """).AssertNoErrors();

        var read = new List<SyntaxTree>();
        var kept = new Dictionary<SyntaxTree, EfFileFacts>();
        EfFileFacts Facts(SyntaxTree tree)
        {
            if (!kept.TryGetValue(tree, out var facts))
            {
                read.Add(tree);
                facts = EfFileFacts.Read(tree);
                kept.Add(tree, facts);
            }

            return facts;
        }

        var before = EfModel.Build(host.Compilation, new KnownTypes(host.Compilation), new FunctionBodies(host.Compilation), Facts, CancellationToken.None);
        Assert.False(before.GetEntity(host.Type("Patient"))!.HasIndexStartingWith("Email"));

        var configuration = host.TestTrees[1];
        var edited = configuration.WithChangedText(configuration.GetText().Replace(configuration.GetText().ToString().IndexOf("{ }", StringComparison.Ordinal), 3, "=> builder.HasIndex(p => p.Email);"));
        var next = host.Compilation.ReplaceSyntaxTree(configuration, edited);
        read.Clear();
        var after = EfModel.Build(next, new KnownTypes(next), new FunctionBodies(next), Facts, CancellationToken.None);

        Assert.Equal(new[] { edited }, read);
        Assert.True(after.GetEntity(next.GetTypeByMetadataName("Patient"))!.HasIndexStartingWith("Email"));
    }

    [Fact]
    public void Names_in_comments_strings_and_look_alike_types_are_not_read()
    {
        var (host, model) = Build("""
            public class Patient { public int Id { get; set; } public string Email { get; set; } = ""; public string Code { get; set; } = ""; }

            public class Db : DbContext
            {
                public DbSet<Patient> Patients => Set<Patient>();
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    // modelBuilder.Entity<Patient>().HasIndex(p => p.Email);
                    var note = "modelBuilder.Entity<Patient>().HasIndex(p => p.Code)";
                    _ = note;
                }
            }
            """);

        Assert.False(Entity(host, model, "Patient").HasIndexStartingWith("Email"));
        Assert.False(Entity(host, model, "Patient").HasIndexStartingWith("Code"));
        Assert.Null(Entity(host, model, "Patient").FluentConfiguration);

        var plain = CSharpSyntaxTree.ParseText("""
            using System.Collections.Generic;
            public class Cache { private readonly HashSet<string> _keys = new(); public ISet<int> Ids { get; } = new HashSet<int>(); public bool HasKeyword(string word) => _keys.Contains(word); }
            """);
        Assert.True(EfFileFacts.Read(plain).IsEmpty);
    }

    // ---------------------------------------------------------------- global flags

    [Fact]
    public void Global_flags_are_off_by_default()
    {
        var (_, model) = Build("""
            public class Patient { public int Id { get; set; } }
            public class Db : DbContext
            {
                public Db(DbContextOptions<Db> options) : base(options) { }
                public DbSet<Patient> Patients => Set<Patient>();
                protected override void OnConfiguring(DbContextOptionsBuilder options) =>
                    options.UseQueryTrackingBehavior(QueryTrackingBehavior.TrackAll);
            }
            """);

        Assert.False(model.LazyLoadingEnabled);
        Assert.False(model.NoTrackingByDefault);
        Assert.False(model.SplitQueryByDefault);
    }

    [Fact]
    public void Lazy_loading_from_proxies_or_an_injected_lazy_loader()
    {
        var (_, proxies) = Build("""
            public class Db : DbContext
            {
                protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseLazyLoadingProxies();
            }
            """);
        Assert.True(proxies.LazyLoadingEnabled);

        var (_, loader) = Build("""
            using Microsoft.EntityFrameworkCore.Infrastructure;

            public class Patient
            {
                private readonly ILazyLoader? _loader;
                public Patient() { }
                private Patient(ILazyLoader loader) => _loader = loader;
                public int Id { get; set; }
            }
            public class Db : DbContext { public DbSet<Patient> Patients => Set<Patient>(); }
            """);
        Assert.True(loader.LazyLoadingEnabled);
    }

    [Theory]
    [InlineData("options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);")]
    [InlineData("options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTrackingWithIdentityResolution);")]
    [InlineData("ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;")]
    public void No_tracking_by_default(string statement)
    {
        var (_, model) = Build($$"""
            public class Db : DbContext
            {
                protected override void OnConfiguring(DbContextOptionsBuilder options)
                {
                    {{statement}}
                }
            }
            """);

        Assert.True(model.NoTrackingByDefault);
    }

    [Fact]
    public void No_tracking_in_AddDbContext_options()
    {
        var (_, model) = Build("""
            public class Db : DbContext { public Db(DbContextOptions<Db> options) : base(options) { } }
            public static class Registration
            {
                public static void Add(IServiceCollection services) =>
                    services.AddDbContext<Db>(o => o.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
            }
            """);

        Assert.True(model.NoTrackingByDefault);
    }

    [Theory]
    [InlineData("SplitQuery", true)]
    [InlineData("SingleQuery", false)]
    public void Split_query_by_default(string behavior, bool expected)
    {
        var (_, model) = Build($$"""
            using Microsoft.EntityFrameworkCore.Infrastructure;

            public static class Relational
            {
                public static void Configure<TBuilder, TExtension>(RelationalDbContextOptionsBuilder<TBuilder, TExtension> options)
                    where TBuilder : RelationalDbContextOptionsBuilder<TBuilder, TExtension>
                    where TExtension : RelationalOptionsExtension, new()
                    => options.UseQuerySplittingBehavior(QuerySplittingBehavior.{{behavior}});
            }
            public class Db : DbContext { }
            """);

        Assert.Equal(expected, model.SplitQueryByDefault);
    }

    [Fact]
    public void Uses_SQLite_when_UseSqlite_of_EF_Core_is_called()
    {
        const string stub = """
            namespace Microsoft.EntityFrameworkCore
            {
                public static class SqliteDbContextOptionsBuilderExtensions
                {
                    public static DbContextOptionsBuilder UseSqlite(this DbContextOptionsBuilder builder, string connectionString) => builder;
                }
            }
            """;
        var (_, sqlite) = Build(stub, """
            public class Db : DbContext
            {
                protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseSqlite("Data Source=app.db");
            }
            """);
        Assert.True(sqlite.UsesSqlite);

        var (_, other) = Build("""
            public static class Options { public static void UseSqlite(this string value) { } }
            public class Db : DbContext
            {
                protected override void OnConfiguring(DbContextOptionsBuilder options) => "x".UseSqlite();
            }
            """);
        Assert.False(other.UsesSqlite);
    }

    // ---------------------------------------------------------------- robustness

    [Fact]
    public void Without_EF_Core_the_model_is_empty()
    {
        var compilation = CSharpCompilation.Create(
            "NoEf",
            new[] { CSharpSyntaxTree.ParseText("public class Patient { public int Id { get; set; } }") },
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var model = EfModel.Build(compilation, new KnownTypes(compilation), new FunctionBodies(compilation), CancellationToken.None);

        Assert.Same(EfModel.Empty, model);
        Assert.Empty(model.Entities);
    }

    [Fact]
    public void Half_typed_configuration_does_not_throw()
    {
        var host = ModelTestHost.Create(includeClinicModel: false, """
            public class Patient { public int Id { get; set; } }
            public class Db : DbContext
            {
                public DbSet<Missing> Missing => Set<Missing>();
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Patient>().HasKey(p => p.);
                    modelBuilder.Entity<Patient>().HasIndex(;
                    modelBuilder.Entity<Unknown>().HasKey(x => x.Id);
                    modelBuilder.Entity<Patient>().HasOne(p => p.Doctor).WithMany().HasForeignKey("DoctorId");
                    options.UseQueryTrackingBehavior(QueryTrackingBehavior.);
                }
            }
            """);
        Assert.NotEmpty(host.Errors);

        var model = EfModel.Build(host.Compilation, new KnownTypes(host.Compilation), new FunctionBodies(host.Compilation), CancellationToken.None);

        Assert.True(model.IsEntity(host.Type("Patient")));
        Assert.Equal("Id", string.Join(",", model.GetEntity(host.Type("Patient"))!.PrimaryKey));
    }
}
