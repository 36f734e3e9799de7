using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.PagingWithoutOrderAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.PagingWithoutOrderAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.PagingWithoutOrderCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3005_PagingWithoutOrderTests
{
    private static string InService(string statements, string members = "") => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

            public async Task<object?> RunAsync(int id, int page, int size, string name, List<Patient> patients, IQueryable<Patient> source, CancellationToken ct)
            {
                {{statements}}
                await Task.CompletedTask;
                return null;
            }
        {{members}}
        }
        """;

    private static Task VerifyAsync(string statements, string members = "", params DiagnosticResult[] expected) =>
        VerifyCS.AnalyzerAsync(InService(statements, members), expected);

    private static DiagnosticResult Diagnostic(int location, string op) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(op).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    // ---------------------------------------------------------------- flags

    [Theory]
    [InlineData("db.Patients.{|#0:Skip(page * size)|}.Take(size).ToList()", "Skip")]
    [InlineData("db.Patients.Where(p => p.DoctorId == id).{|#0:Take(10)|}.ToList()", "Take")]
    [InlineData("db.Patients.{|#0:Take(1)|}.ToList()", "Take")]
    [InlineData("db.Patients.{|#0:ElementAt(3)|}", "ElementAt")]
    [InlineData("db.Patients.{|#0:ElementAtOrDefault(3)|}", "ElementAtOrDefault")]
    [InlineData("db.Patients.{|#0:Last()|}", "Last")]
    [InlineData("db.Patients.Where(p => p.Id == id).{|#0:LastOrDefault()|}", "LastOrDefault")]
    [InlineData("db.Set<Appointment>().Where(a => a.PatientId == id).{|#0:Skip(5)|}", "Skip")]
    [InlineData("db.Patients.Select(p => new PatientDto(p.Id, p.Name)).{|#0:Skip(page)|}.Take(size).ToList()", "Skip")]
    public async Task Flags_sync_paging_without_order(string query, string op) => await VerifyAsync($$"""
        var result = {{query}};
        """, expected: Diagnostic(0, op));

    [Theory]
    [InlineData("await db.Patients.Skip(page).{|#0:Take(size)|}.ToListAsync(ct)", "Skip")]
    [InlineData("await db.Patients.{|#0:ElementAtAsync(2, ct)|}", "ElementAtAsync")]
    [InlineData("await db.Patients.{|#0:LastOrDefaultAsync(ct)|}", "LastOrDefaultAsync")]
    [InlineData("await db.Patients.Where(p => p.Name == name).{|#0:LastAsync(ct)|}", "LastAsync")]
    public async Task Flags_async_paging_without_order(string query, string op)
    {
        // Skip and Take on one query: the first paging operator is reported.
        var statements = op == "Skip"
            ? "var result = await db.Patients.{|#0:Skip(page)|}.Take(size).ToListAsync(ct);"
            : $"var result = {query};";
        await VerifyAsync(statements, expected: Diagnostic(0, op));
    }

    [Fact]
    public async Task Flags_a_query_built_across_locals_and_a_repository()
    {
        const string source = """
            using Clinic;

            public class PatientRepository
            {
                private readonly AppDb _db;
                public PatientRepository(AppDb db) => _db = db;
                public IQueryable<Patient> Query() => _db.Patients.AsNoTracking();
            }

            public class PatientService
            {
                private readonly PatientRepository _repository;
                public PatientService(PatientRepository repository) => _repository = repository;

                public async Task<List<Patient>> PageAsync(string? name, int page, int size, CancellationToken ct)
                {
                    var query = _repository.Query();
                    if (name is not null)
                    {
                        query = query.Where(p => p.Name.StartsWith(name));
                    }

                    var total = await query.CountAsync(ct);
                    return await query.{|#0:Skip((page - 1) * size)|}.Take(size).ToListAsync(ct);
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "Skip"));
    }

    [Fact]
    public async Task Flags_in_controller_action_and_minimal_api()
    {
        const string source = """
            using Clinic;

            [ApiController]
            [Route("doctors")]
            public class DoctorsController : ControllerBase
            {
                private readonly AppDb _db;
                public DoctorsController(AppDb db) => _db = db;

                [HttpGet]
                public async Task<List<Doctor>> List(int page, CancellationToken ct) =>
                    await _db.Doctors.AsNoTracking().{|#0:Skip(page * 20)|}.Take(20).ToListAsync(ct);
            }

            public static class Endpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapGet("/appointments/latest", async (AppDb db, CancellationToken ct) =>
                        await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow).{|#1:Take(10)|}.ToListAsync(ct));
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "Skip"), Diagnostic(1, "Take"));
    }

    [Fact]
    public async Task Flags_a_paging_helper_of_the_compilation_that_does_not_order() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        public static class Paging
        {
            public static IQueryable<T> Page<T>(this IQueryable<T> query, int page, int size) => query.Skip((page - 1) * size).Take(size);
            public static IQueryable<Patient> PageByName(this IQueryable<Patient> query, int page, int size) => query.OrderBy(p => p.Name).Skip(page * size).Take(size);
        }

        public class Service
        {
            public List<Patient> Run(AppDb db, int page) => db.Patients.Where(p => p.DoctorId == 3).{|#0:Page(page, 20)|}.ToList();
            public List<Patient> Ordered(AppDb db, int page) => db.Patients.OrderBy(p => p.Id).Page(page, 20).ToList();
            public List<Patient> HelperOrders(AppDb db, int page) => db.Patients.PageByName(page, 20).ToList();
        }
        """, Diagnostic(0, "Paging.Page"));

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_ordered_queries_alone() => await VerifyAsync("""
        var a = db.Patients.OrderBy(p => p.Name).Skip(page).Take(size).ToList();
        var b = db.Patients.OrderByDescending(p => p.Id).Where(p => p.Name != "").Take(5).ToList();
        var c = db.Patients.OrderBy(p => p.Name).ThenBy(p => p.Id).Select(p => p.Name).Skip(10).ToList();
        var d = await db.Appointments.OrderBy(a => a.StartsAt).LastOrDefaultAsync(ct);
        var query = db.Patients.Where(p => p.DoctorId == id);
        query = query.OrderBy(p => p.Name);
        var e = query.Skip(page).Take(size).ToList();
        """);

    [Fact]
    public async Task Leaves_key_equality_filters_alone()
    {
        const string source = """
            using System.ComponentModel.DataAnnotations;
            using Clinic;

            public class Visit
            {
                [Key]
                public Guid Number { get; set; }
                public int Id { get; set; }
            }

            public class Enrollment
            {
                public int StudentId { get; set; }
                public int CourseId { get; set; }
            }

            public class School : DbContext
            {
                public DbSet<Visit> Visits => Set<Visit>();
                public DbSet<Enrollment> Enrollments => Set<Enrollment>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) =>
                    modelBuilder.Entity<Enrollment>().HasKey(e => new { e.StudentId, e.CourseId });
            }

            public class Service
            {
                public object Run(AppDb db, School school, int id, Guid number, int student, int course) => new object[]
                {
                    db.Patients.Where(p => p.Id == id).Take(1).ToList(),
                    db.Doctors.Where(d => d.DoctorId == id).Take(1).ToList(),
                    db.Patients.Where(p => id == p.Id && p.Name != "").Skip(0).Take(1).ToList(),
                    school.Visits.Where(v => v.Number == number).Take(1).ToList(),
                    school.Visits.Where(v => v.Id == id).{|#0:Take(1)|}.ToList(),
                    school.Enrollments.Where(e => e.StudentId == student && e.CourseId == course).Take(1).ToList(),
                    school.Enrollments.Where(e => e.StudentId == student).{|#1:Take(1)|}.ToList(),
                };
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diagnostic(0, "Take"), Diagnostic(1, "Take"));
    }

    [Fact]
    public async Task Leaves_First_Single_and_counted_pages_alone() => await VerifyAsync("""
        var first = db.Patients.First(p => p.Name == name);
        var single = await db.Patients.SingleOrDefaultAsync(p => p.Email == name, ct);
        var any = await db.Patients.Skip(100).AnyAsync(ct);
        var capped = db.Patients.Where(p => p.DoctorId == id).Take(1000).Count();
        """);

    [Fact]
    public async Task Leaves_a_random_row_pick_alone_but_not_a_random_page_size() => await VerifyAsync("""
        var count = db.Patients.Count();
        var offset = new Random().Next(0, count);
        var anyOne = db.Patients.Skip(offset).Take(1).FirstOrDefault();
        var another = db.Patients.Skip(Random.Shared.Next(count)).FirstOrDefault();
        var randomSized = db.Patients.{|#0:Skip(10)|}.Take(Random.Shared.Next(5, 10)).ToList();
        """, "", Diagnostic(0, "Skip"));

    [Fact]
    public async Task Leaves_in_memory_paging_and_queries_not_known_to_be_EF_alone() => await VerifyAsync("""
        var a = patients.Skip(page).Take(size).ToList();
        var b = patients.AsQueryable().Skip(page).Take(size).ToList();
        var c = source.Skip(page).Take(size).ToList();
        var d = patients.Last();
        var e = db.Patients.FromSqlRaw("SELECT * FROM Patients ORDER BY Name").Skip(page).Take(size).ToList();
        """);

    [Fact]
    public async Task Leaves_Take_in_a_batching_loop_alone() => await VerifyAsync("""
        while (true)
        {
            var batch = await db.Appointments.Where(a => a.StartsAt < DateTime.UtcNow).Take(500).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            db.Appointments.RemoveRange(batch);
            await db.SaveChangesAsync(ct);
        }
        """);

    [Fact]
    public async Task Flags_Skip_in_a_paging_loop() => await VerifyAsync("""
        for (var pageNumber = 0; ; pageNumber++)
        {
            var rows = db.Patients.{|#0:Skip(pageNumber * 100)|}.Take(100).ToList();
            if (rows.Count == 0) break;
        }
        """, expected: Diagnostic(0, "Skip"));

    [Fact]
    public async Task Leaves_code_without_EF_Core_alone()
    {
        var test = new VerifyCS.AnalyzerTest { IncludeClinicModel = false };
        test.TestState.Sources.Add("""
            public class Service
            {
                public List<int> Run(List<int> ids) => ids.AsQueryable().Skip(1).Take(2).ToList();
            }
            """);
        test.AddDefaults(null);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("var r = db.Patients.Skip().Take(size).ToList();")]
    [InlineData("var r = db.Missing.Skip(1).ToList();")]
    [InlineData("var r = db.Patients.Where(p => p.Id == ).Take(1).ToList();")]
    [InlineData("var r = db.Patients.OrderBy(p => p.).Skip(1).ToList();")]
    [InlineData("var r = db.Patients.{|#0:Skip(1)|}.Take(2).ToList(")]
    [InlineData("var r = db.Patients.{|#0:Last()|}")]
    public async Task Does_not_throw_on_half_typed_code(string statements)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService(statements));
        test.AddDefaults(null);
        if (statements.Contains("{|#0:", StringComparison.Ordinal))
        {
            var op = statements.Contains("Last", StringComparison.Ordinal) ? "Last" : statements.Contains("{|#0:Take", StringComparison.Ordinal) ? "Take" : "Skip";
            test.ExpectedDiagnostics.Add(Diagnostic(0, op));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    private static string InFixService(string body) => $$"""
        using Clinic;

        public class Service
        {
            private readonly AppDb db;
            public Service(AppDb db) => this.db = db;

        {{body}}
        }
        """;

    [Fact]
    public async Task Fix_orders_by_the_conventional_key_before_the_first_paging_operator()
    {
        var source = InFixService("""
                public Task<List<Patient>> PageAsync(int page, int size, CancellationToken ct) =>
                    db.Patients.Where(p => p.Name != "").{|#0:Skip(page * size)|}.Take(size).ToListAsync(ct);

                public Task<List<Doctor>> DoctorsAsync(CancellationToken ct) => db.Doctors.{|#1:Take(10)|}.ToListAsync(ct);
            """);
        var fixedSource = InFixService("""
                public Task<List<Patient>> PageAsync(int page, int size, CancellationToken ct) =>
                    db.Patients.Where(p => p.Name != "").OrderBy(p => p.Id).Skip(page * size).Take(size).ToListAsync(ct);

                public Task<List<Doctor>> DoctorsAsync(CancellationToken ct) => db.Doctors.OrderBy(d => d.DoctorId).Take(10).ToListAsync(ct);
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Skip"), Diagnostic(1, "Take"));
    }

    [Fact]
    public async Task Fix_orders_before_the_projection_and_keeps_one_operator_per_line()
    {
        var source = InFixService("""
                public Task<List<PatientDto>> PageAsync(int page, CancellationToken ct) =>
                    db.Patients
                        .AsNoTracking()
                        .Select(p => new PatientDto(p.Id, p.Name))
                        .{|#0:Skip(page * 20)|}
                        .Take(20)
                        .ToListAsync(ct);
            """);
        var fixedSource = InFixService("""
                public Task<List<PatientDto>> PageAsync(int page, CancellationToken ct) =>
                    db.Patients
                        .AsNoTracking()
                        .OrderBy(p => p.Id)
                        .Select(p => new PatientDto(p.Id, p.Name))
                        .Skip(page * 20)
                        .Take(20)
                        .ToListAsync(ct);
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Skip"));
    }

    [Fact]
    public async Task Fix_uses_the_EF_model_key_composite_keys_and_a_free_parameter_name()
    {
        const string model = """
            public class Enrollment
            {
                public int StudentId { get; set; }
                public int CourseId { get; set; }
                public int Id { get; set; }
            }

            public class Product
            {
                public string Sku { get; set; } = "";
                public int Id { get; set; }
            }

            public class School : DbContext
            {
                public DbSet<Enrollment> Enrollments => Set<Enrollment>();
                public DbSet<Product> Products => Set<Product>();
                protected override void OnModelCreating(ModelBuilder modelBuilder)
                {
                    modelBuilder.Entity<Enrollment>().HasKey(e => new { e.StudentId, e.CourseId });
                    modelBuilder.Entity<Product>().HasKey(p => p.Sku);
                }
            }
            """;
        var source = model + """

            public class Service
            {
                public List<Enrollment> Page(School school, int e) => school.Enrollments.{|#0:Skip(e)|}.ToList();
                public Product? Last(School school) => school.Products.{|#1:LastOrDefault()|};
            }
            """;
        var fixedSource = model + """

            public class Service
            {
                public List<Enrollment> Page(School school, int e) => school.Enrollments.OrderBy(x => x.StudentId).ThenBy(x => x.CourseId).Skip(e).ToList();
                public Product? Last(School school) => school.Products.OrderBy(p => p.Sku).LastOrDefault();
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Skip"), Diagnostic(1, "LastOrDefault"));
    }

    [Fact]
    public async Task Fix_orders_a_query_local_before_paging()
    {
        var source = InFixService("""
                public async Task<List<Patient>> PageAsync(string? name, int page, CancellationToken ct)
                {
                    var query = db.Patients.AsNoTracking();
                    if (name is not null)
                    {
                        query = query.Where(p => p.Name.StartsWith(name));
                    }

                    return await query.{|#0:Skip(page * 20)|}.Take(20).ToListAsync(ct);
                }
            """);
        var fixedSource = InFixService("""
                public async Task<List<Patient>> PageAsync(string? name, int page, CancellationToken ct)
                {
                    var query = db.Patients.AsNoTracking();
                    if (name is not null)
                    {
                        query = query.Where(p => p.Name.StartsWith(name));
                    }

                    return await query.OrderBy(p => p.Id).Skip(page * 20).Take(20).ToListAsync(ct);
                }
            """);
        await VerifyFix.CodeFixAsync(source, fixedSource, Diagnostic(0, "Skip"));
    }

    [Fact]
    public async Task No_fix_without_a_key_or_for_a_projection_in_another_method()
    {
        var source = """
            using Clinic;

            public class Report
            {
                public string Name { get; set; } = "";
            }

            public class Reports : DbContext
            {
                public DbSet<Report> Rows => Set<Report>();
                protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Report>().HasNoKey();
            }

            public class Queries
            {
                private readonly AppDb _db;
                public Queries(AppDb db) => _db = db;
                public IQueryable<PatientDto> Dtos() => _db.Patients.Select(p => new PatientDto(p.Id, p.Name));
                public List<PatientDto> Page(int page) => Dtos().{|#0:Skip(page)|}.ToList();
                public List<Report> Top(Reports reports) => reports.Rows.{|#1:Take(5)|}.ToList();
            }
            """;
        await VerifyFix.CodeFixAsync(source, source, Diagnostic(0, "Skip"), Diagnostic(1, "Take"));
    }
}
