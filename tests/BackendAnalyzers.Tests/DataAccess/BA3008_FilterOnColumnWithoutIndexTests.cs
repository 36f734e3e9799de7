using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.FilterOnColumnWithoutIndexAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.FilterOnColumnWithoutIndexAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.FilterOnColumnWithoutIndexCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3008_FilterOnColumnWithoutIndexTests
{
    // The clinic model: Patient (Id key, DoctorId foreign key, Name and Email without an index), Doctor (DoctorId key,
    // Name), Appointment (Id, PatientId foreign key, StartsAt), Country (Id, Name).
    private static string InService(string statements) => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, string name, string email, DateTime since, List<string> emails, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
                return null;
            }
        }
        """;

    private static DiagnosticResult Diagnostic(int location, string use, string entity, string property) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(use, entity, property).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    // ---------------------------------------------------------------- flags

    [Theory]
    [InlineData("db.Patients.Where(p => {|#0:p.Email|} == email).ToList()", "filters on", "Patient", "Email")]
    [InlineData("await db.Patients.FirstOrDefaultAsync(p => {|#0:p.Email|} == email, ct)", "filters on", "Patient", "Email")]
    [InlineData("await db.Patients.AnyAsync(p => email == {|#0:p.Email|}, ct)", "filters on", "Patient", "Email")]
    [InlineData("db.Patients.SingleOrDefault(p => {|#0:p.Name|}.StartsWith(name))", "filters on", "Patient", "Name")]
    [InlineData("db.Patients.Count(p => emails.Contains({|#0:p.Email|}))", "filters on", "Patient", "Email")]
    [InlineData("db.Appointments.Where(a => {|#0:a.StartsAt|} >= since).ToList()", "filters on", "Appointment", "StartsAt")]
    [InlineData("db.Patients.OrderBy(p => {|#0:p.Name|}).Take(20).ToList()", "sorts on", "Patient", "Name")]
    [InlineData("db.Doctors.AsNoTracking().Where(d => {|#0:d.Name|} == name).OrderByDescending(d => {|#1:d.Name|}).ToList()", "filters on", "Doctor", "Name")]
    public async Task Flags_filters_and_sorts_on_unindexed_columns(string query, string use, string entity, string property)
    {
        var expected = query.Contains("{|#1:")
            ? new[] { Diagnostic(0, use, entity, property), Diagnostic(1, "sorts on", entity, property) }
            : new[] { Diagnostic(0, use, entity, property) };
        await VerifyCS.AnalyzerAsync(InService($"var result = {query};"), expected);
    }

    [Fact]
    public async Task Flags_queries_split_across_locals_in_repositories_and_minimal_apis()
    {
        const string source = """
            using Clinic;

            public class PatientRepository
            {
                private readonly AppDb _db;
                public PatientRepository(AppDb db) => _db = db;

                public Task<Patient?> FindByEmailAsync(string email, CancellationToken ct)
                {
                    var patients = _db.Patients.AsNoTracking();
                    return patients.SingleOrDefaultAsync(p => {|#0:p.Email|} == email, ct);
                }
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGroup("/doctors").MapGet("/by-name", (AppDb db, string name) => db.Doctors.Where(d => {|#1:d.Name|} == name).Take(10).ToListAsync());
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "filters on", "Patient", "Email"), Diagnostic(1, "filters on", "Doctor", "Name"));
    }

    // ---------------------------------------------------------------- leaves alone

    [Theory]
    [InlineData("db.Patients.Where(p => p.Id == id).ToList()")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).ToList()")]
    [InlineData("db.Doctors.Where(d => d.DoctorId == id).ToList()")]
    [InlineData("db.Appointments.Where(a => a.PatientId == id && a.StartsAt >= since).OrderBy(a => a.StartsAt).ToList()")]
    [InlineData("db.Patients.Where(p => p.Name == name).Where(p => p.DoctorId == id).ToList()")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).Where(p => p.Name == name).OrderBy(p => p.Name).ToList()")]
    [InlineData("db.Patients.Where(p => p.Name == name || p.Email == email).ToList()")]
    [InlineData("db.Patients.Where(p => p.Doctor!.Name == name).ToList()")]
    [InlineData("db.Patients.Where(p => p.Email == p.Name).ToList()")]
    [InlineData("db.Patients.Select(p => new { p.Name, p.Email }).Where(x => x.Email == email).ToList()")]
    [InlineData("db.Patients.ToList().Where(p => p.Email == email).ToList()")]
    [InlineData("db.Patients.OrderBy(p => p.Id).ToList()")]
    [InlineData("db.Patients.Find(id)")]
    public async Task Leaves_keys_foreign_keys_indexed_queries_and_non_queries_alone(string query) =>
        await VerifyCS.AnalyzerAsync(InService($"var result = {query};"));

    [Fact]
    public async Task Leaves_indexed_columns_from_every_model_source_alone()
    {
        const string source = """
            using System.ComponentModel.DataAnnotations.Schema;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            namespace Shop
            {
                [Index(nameof(Sku))]
                public class Product
                {
                    public int Id { get; set; }
                    public string Sku { get; set; } = "";
                    public string Name { get; set; } = "";
                    public bool Active { get; set; }
                    public ProductKind Kind { get; set; }
                    public DateTime? DeletedAt { get; set; }
                    [NotMapped] public string Label { get; set; } = "";
                    public string Display => Name + Sku;
                }

                public enum ProductKind { Book, Game }

                public class Customer
                {
                    public Guid Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                    public string City { get; set; } = "";
                }

                public class Order
                {
                    public int Id { get; set; }
                    public string Number { get; set; } = "";
                    public DateTime PlacedAt { get; set; }
                }

                public class Setting
                {
                    public int Id { get; set; }
                    public string Key { get; set; } = "";
                }

                public class OrderConfiguration : IEntityTypeConfiguration<Order>
                {
                    public void Configure(EntityTypeBuilder<Order> builder) => builder.HasAlternateKey(o => o.Number);
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Product> Products => Set<Product>();
                    public DbSet<Customer> Customers => Set<Customer>();
                    public DbSet<Order> Orders => Set<Order>();
                    public DbSet<Setting> Settings => Set<Setting>();

                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.Entity<Customer>().HasIndex(c => new { c.Country, c.City });
                        modelBuilder.Entity<Customer>(c => c.HasIndex(x => x.Email).IsUnique());
                        modelBuilder.ApplyConfiguration(new OrderConfiguration());
                    }
                }

                public class Queries
                {
                    public object Run(ShopDb db, string text, Guid id, DateTime since) => new object[]
                    {
                        db.Products.Where(p => p.Sku == text).ToList(),
                        db.Products.Where(p => p.Active && p.Kind == ProductKind.Book).ToList(),
                        db.Products.Where(p => p.DeletedAt == null).ToList(),
                        db.Products.Where(p => p.Label == text).ToList(),
                        db.Customers.Where(c => c.Id == id).ToList(),
                        db.Customers.Where(c => c.Email == text).ToList(),
                        db.Customers.Where(c => c.Country == text && c.City == text).ToList(),
                        db.Orders.Where(o => o.Number == text).ToList(),
                        db.Settings.Where(s => s.Key == text).ToList(),
                    };
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, "backend_analyzers.small_tables = Setting");
    }

    [Fact]
    public async Task Does_not_throw_on_half_typed_code()
    {
        var test = new VerifyCS.AnalyzerTest
        {
            TestCode = InService("""
                var a = db.Patients.Where(p => p.Email == ).ToList();
                var b = db.Missing.Where(m => m.Name == name).ToList();
                var c = db.Patients.Where(p => p.Unknown == name).ToList();
                var d = db.Patients.OrderBy(p => p.).ToList();
                var e = db.Patients.Where(p => p.Email == email
                """),
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- fixes

    private const string Query = """
        using Shop;

        public class CustomerLookup
        {
            private readonly ShopDb _db;
            public CustomerLookup(ShopDb db) => _db = db;

            public Customer? ByEmail(string email) => _db.Customers.FirstOrDefault(c => {|#0:c.Email|} == email);

            public List<Customer> InCountry(string country) => _db.Customers.Where(c => {|#1:c.Country|} == country).ToList();

            public List<Customer> ByEmailAgain(string email) => _db.Customers.Where(c => {|#2:c.Email|} == email).ToList();
        }
        """;

    private const string QueryFixed = """
        using Shop;

        public class CustomerLookup
        {
            private readonly ShopDb _db;
            public CustomerLookup(ShopDb db) => _db = db;

            public Customer? ByEmail(string email) => _db.Customers.FirstOrDefault(c => c.Email == email);

            public List<Customer> InCountry(string country) => _db.Customers.Where(c => c.Country == country).ToList();

            public List<Customer> ByEmailAgain(string email) => _db.Customers.Where(c => c.Email == email).ToList();
        }
        """;

    private static async Task VerifyFixAsync(string model, string fixedModel)
    {
        var test = new VerifyFix.CodeFixTest();
        test.TestState.Sources.Add(("/0/Query.cs", Query));
        test.TestState.Sources.Add(("/0/Model.cs", model));
        test.FixedState.Sources.Add(("/0/Query.cs", QueryFixed));
        test.FixedState.Sources.Add(("/0/Model.cs", fixedModel));
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(0).WithArguments("filters on", "Customer", "Email").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(1).WithArguments("filters on", "Customer", "Country").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        test.ExpectedDiagnostics.Add(VerifyCS.Diagnostic().WithLocation(2).WithArguments("filters on", "Customer", "Email").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        // One finding at a time leaves the third fixed by the first (same property, same entity).
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_adds_index_attributes_to_the_entity_in_another_document()
    {
        const string model = """
            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();
                }
            }
            """;
        const string fixedModel = """
            namespace Shop
            {
                [Index(nameof(Email))]
                [Index(nameof(Country))]
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();
                }
            }
            """;
        await VerifyFixAsync(model, fixedModel);
    }

    [Fact]
    public async Task Fix_adds_has_index_to_the_entity_type_configuration()
    {
        const string model = """
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class CustomerConfiguration : IEntityTypeConfiguration<Customer>
                {
                    public void Configure(EntityTypeBuilder<Customer> builder)
                    {
                        builder.Property(c => c.Email).HasMaxLength(200);
                    }
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();
                    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new CustomerConfiguration());
                }
            }
            """;
        const string fixedModel = """
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class CustomerConfiguration : IEntityTypeConfiguration<Customer>
                {
                    public void Configure(EntityTypeBuilder<Customer> builder)
                    {
                        builder.Property(c => c.Email).HasMaxLength(200);
                        builder.HasIndex(x => x.Email);
                        builder.HasIndex(x => x.Country);
                    }
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();
                    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new CustomerConfiguration());
                }
            }
            """;
        await VerifyFixAsync(model, fixedModel);
    }

    [Fact]
    public async Task Fix_adds_has_index_to_the_model_builder_block()
    {
        const string model = """
            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();

                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.Entity<Customer>(customer =>
                        {
                            customer.Property(c => c.Email).HasMaxLength(200);
                        });
                    }
                }
            }
            """;
        const string fixedModel = """
            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();

                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.Entity<Customer>(customer =>
                        {
                            customer.Property(c => c.Email).HasMaxLength(200);
                            customer.HasIndex(x => x.Email);
                            customer.HasIndex(x => x.Country);
                        });
                    }
                }
            }
            """;
        await VerifyFixAsync(model, fixedModel);
    }

    [Fact]
    public async Task Fix_adds_a_statement_after_a_model_builder_chain()
    {
        const string model = """
            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();

                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.Entity<Customer>().Property(c => c.Email).HasMaxLength(200);
                    }
                }
            }
            """;
        const string fixedModel = """
            namespace Shop
            {
                public class Customer
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string Country { get; set; } = "";
                }

                public class ShopDb : DbContext
                {
                    public DbSet<Customer> Customers => Set<Customer>();

                    protected override void OnModelCreating(ModelBuilder modelBuilder)
                    {
                        modelBuilder.Entity<Customer>().Property(c => c.Email).HasMaxLength(200);
                        modelBuilder.Entity<Customer>().HasIndex(x => x.Email);
                        modelBuilder.Entity<Customer>().HasIndex(x => x.Country);
                    }
                }
            }
            """;
        await VerifyFixAsync(model, fixedModel);
    }
}
