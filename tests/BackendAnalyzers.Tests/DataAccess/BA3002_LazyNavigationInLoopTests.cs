using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.LazyNavigationInLoopAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.LazyNavigationInLoopAnalyzer, BackendAnalyzers.CodeFixes.DataAccess.LazyNavigationInLoopCodeFix>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3002_LazyNavigationInLoopTests
{
    /// <summary>A shop whose context turns lazy-loading proxies on: virtual navigations load themselves.</summary>
    private const string Shop = """

        namespace Shop
        {
            public class Customer
            {
                public int Id { get; set; }
                public string Name { get; set; } = "";
                public virtual List<Order> Orders { get; set; } = new();
                public virtual Address? Address { get; set; }
                public List<Note> Notes { get; set; } = new();
            }

            public class Order
            {
                public int Id { get; set; }
                public int CustomerId { get; set; }
                public decimal Total { get; set; }
                public virtual Customer? Customer { get; set; }
            }

            public class Address
            {
                public int Id { get; set; }
                public string City { get; set; } = "";
            }

            public class Note
            {
                public int Id { get; set; }
                public string Text { get; set; } = "";
            }

            public record CustomerRow(string Name, int Orders);

            public class ShopDb : DbContext
            {
                public DbSet<Customer> Customers => Set<Customer>();
                public DbSet<Order> Orders => Set<Order>();
                public DbSet<Address> Addresses => Set<Address>();
                protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseLazyLoadingProxies();
            }
        }
        """;

    private static DiagnosticResult Diagnostic(int location, string navigation, string entity) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(navigation, entity).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string InService(string members) => $$"""
        using Shop;

        public class ReportService
        {
            private readonly ShopDb db;
            public ReportService(ShopDb db) => this.db = db;

        {{members}}
        }
        """ + Shop;

    // ---------------------------------------------------------------- flags

    [Fact]
    public async Task Flags_navigations_read_in_loops_over_query_results() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task<List<CustomerRow>> RowsAsync(CancellationToken ct)
            {
                var rows = new List<CustomerRow>();
                var customers = await db.Customers.Where(c => c.Name != "").ToListAsync(ct);
                foreach (var customer in customers)
                {
                    rows.Add(new CustomerRow(customer.Name, {|#0:customer.Orders|}.Count));
                    if ({|#1:customer.Address|} is { } address && customer.Orders.Count > 1)
                    {
                        Console.WriteLine(address.City);
                    }
                }

                return rows;
            }

            public decimal Totals()
            {
                var total = 0m;
                foreach (var order in db.Orders.Where(o => o.Total > 10))
                {
                    total += {|#2:order.Customer|}!.Name.Length;
                }

                return total;
            }

            public void Sync()
            {
                var query = db.Orders.Where(o => o.Total > 0);
                query = query.OrderBy(o => o.Id);
                var list = query.ToList();
                foreach (var order in list.Where(o => o.Id > 2))
                {
                    Console.WriteLine({|#3:order.Customer|}?.Name);
                }
            }
        """),
        Diagnostic(0, "Orders", "Customer"), Diagnostic(1, "Address", "Customer"), Diagnostic(2, "Customer", "Order"), Diagnostic(3, "Customer", "Order"));

    [Fact]
    public async Task Flags_entities_that_take_an_ILazyLoader_in_a_controller() => await VerifyCS.AnalyzerAsync("""
        using Microsoft.EntityFrameworkCore.Infrastructure;

        public class Blog
        {
            private readonly ILazyLoader? _loader;
            private List<Post> _posts = new();
            public Blog() { }
            private Blog(ILazyLoader loader) => _loader = loader;
            public int Id { get; set; }
            public List<Post> Posts { get => _loader.Load(this, ref _posts!) ?? new(); set => _posts = value; }
        }

        public class Post
        {
            public int Id { get; set; }
        }

        public class BlogDb : DbContext
        {
            public DbSet<Blog> Blogs => Set<Blog>();
            public DbSet<Post> Posts => Set<Post>();
        }

        [ApiController]
        [Route("blogs")]
        public class BlogsController : ControllerBase
        {
            private readonly BlogDb _db;
            public BlogsController(BlogDb db) => _db = db;

            [HttpGet]
            public async Task<int> Count(CancellationToken ct)
            {
                var count = 0;
                foreach (var blog in await _db.Blogs.ToListAsync(ct))
                {
                    count += {|#0:blog.Posts|}.Count;
                }

                return count;
            }
        }
        """, Diagnostic(0, "Posts", "Blog"));

    // ---------------------------------------------------------------- look-alikes

    [Fact]
    public async Task Leaves_included_loaded_and_projected_navigations_alone() => await VerifyCS.AnalyzerAsync(InService("""
            public async Task RunAsync(CancellationToken ct)
            {
                foreach (var customer in await db.Customers.Include(c => c.Orders).Include("Address").ToListAsync(ct))
                {
                    Console.WriteLine(customer.Orders.Count + customer.Address!.City);
                }

                var withOrders = db.Customers.Include(c => c.Orders).ThenInclude(o => o.Customer).ToList();
                foreach (var customer in withOrders)
                {
                    Console.WriteLine(customer.Orders.Count);
                }

                var loaded = db.Customers.ToList();
                foreach (var customer in loaded)
                {
                    db.Entry(customer).Collection(c => c.Orders).Load();
                    db.Entry(customer).Reference("Address").Load();
                    Console.WriteLine(customer.Orders.Count + customer.Address!.City);
                }

                var rows = db.Customers.Select(c => new CustomerRow(c.Name, c.Orders.Count)).ToList();
                foreach (var row in rows)
                {
                    Console.WriteLine(row.Orders);
                }

                // Notes is not virtual: proxies cannot load it (it stays empty).
                foreach (var customer in db.Customers.ToList())
                {
                    Console.WriteLine(customer.Notes.Count + customer.Name);
                    customer.Address = null;
                }

                // The addresses are tracked already: the proxies find them.
                var addresses = db.Addresses.ToList();
                foreach (var customer in db.Customers.ToList())
                {
                    Console.WriteLine(customer.Address?.City);
                }

                var local = new List<Customer>();
                foreach (var customer in local)
                {
                    Console.WriteLine(customer.Orders.Count);
                }
            }
        """));

    [Fact]
    public async Task Never_flags_without_lazy_loading() => await VerifyCS.AnalyzerAsync("""
        using Clinic;

        public class Service
        {
            public int Run(AppDb db)
            {
                var count = 0;
                foreach (var patient in db.Patients.ToList())
                {
                    count += patient.Appointments.Count + (patient.Doctor?.Name.Length ?? 0);
                }

                return count;
            }
        }
        """);

    [Fact]
    public async Task Does_not_flag_when_proxies_are_turned_off() => await VerifyCS.AnalyzerAsync(InService("""
            public int Run()
            {
                var count = 0;
                foreach (var customer in db.Customers.ToList())
                {
                    count += customer.Orders.Count;
                }

                return count;
            }
        """).Replace("options.UseLazyLoadingProxies()", "options.UseLazyLoadingProxies(false)"));

    [Theory]
    [InlineData("foreach (var c in db.Customers.ToList()) { var n = {|#0:c.Orders|}.Count + ; }", true)]
    [InlineData("foreach (var c in db.Missing.ToList()) { var n = c.Orders.Count; }", false)]
    [InlineData("foreach (var c in db.Customers.Include(x => x.).ToList()) { var n = {|#0:c.Orders|}.Count; }", true)]
    [InlineData("foreach (var c in ) { var n = c.Orders.Count; }", false)]
    [InlineData("foreach (Unknown c in db.Customers.ToList()) { var n = c.Orders.Count; }", false)]
    public async Task Does_not_throw_on_half_typed_code(string statements, bool flagged)
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add(InService($$"""
                public void Run()
                {
                    {{statements}}
                }
            """));
        test.AddDefaults(null);
        if (flagged)
        {
            test.ExpectedDiagnostics.Add(Diagnostic(0, "Orders", "Customer"));
        }

        await test.RunAsync();
    }

    // ---------------------------------------------------------------- code fix

    [Fact]
    public async Task Fix_includes_each_navigation_in_the_originating_query() => await VerifyFix.CodeFixAsync(
        InService("""
            public async Task<int> RunAsync(CancellationToken ct)
            {
                var count = 0;
                var customers = await db.Customers
                    .Where(c => c.Name != "")
                    .ToListAsync(ct);
                foreach (var customer in customers)
                {
                    count += {|#0:customer.Orders|}.Count + ({|#1:customer.Address|}?.City.Length ?? 0);
                }

                return count;
            }

            public int Orders()
            {
                var count = 0;
                foreach (var order in db.Orders.Where(o => o.Total > 1).ToList())
                {
                    count += {|#2:order.Customer|}!.Name.Length;
                }

                return count;
            }
        """),
        InService("""
            public async Task<int> RunAsync(CancellationToken ct)
            {
                var count = 0;
                var customers = await db.Customers
                    .Include(c => c.Address)
                    .Include(c => c.Orders)
                    .Where(c => c.Name != "")
                    .ToListAsync(ct);
                foreach (var customer in customers)
                {
                    count += customer.Orders.Count + (customer.Address?.City.Length ?? 0);
                }

                return count;
            }

            public int Orders()
            {
                var count = 0;
                foreach (var order in db.Orders.Include(o => o.Customer).Where(o => o.Total > 1).ToList())
                {
                    count += order.Customer!.Name.Length;
                }

                return count;
            }
        """),
        Diagnostic(0, "Orders", "Customer"), Diagnostic(1, "Address", "Customer"), Diagnostic(2, "Customer", "Order"));

    [Fact]
    public async Task Fix_goes_before_the_materializing_call_when_a_repository_builds_the_query() => await VerifyFix.CodeFixAsync(
        """
        using Shop;

        public class CustomerRepository
        {
            private readonly ShopDb _db;
            public CustomerRepository(ShopDb db) => _db = db;
            public IQueryable<Customer> Active() => _db.Customers.Where(c => c.Name != "");
        }

        public class ReportService
        {
            private readonly CustomerRepository _repository;
            public ReportService(CustomerRepository repository) => _repository = repository;

            public int Run()
            {
                var count = 0;
                foreach (var customer in _repository.Active().ToList())
                {
                    count += {|#0:customer.Orders|}.Count;
                }

                return count;
            }
        }
        """ + Shop,
        """
        using Shop;

        public class CustomerRepository
        {
            private readonly ShopDb _db;
            public CustomerRepository(ShopDb db) => _db = db;
            public IQueryable<Customer> Active() => _db.Customers.Where(c => c.Name != "");
        }

        public class ReportService
        {
            private readonly CustomerRepository _repository;
            public ReportService(CustomerRepository repository) => _repository = repository;

            public int Run()
            {
                var count = 0;
                foreach (var customer in _repository.Active().Include(c => c.Orders).ToList())
                {
                    count += customer.Orders.Count;
                }

                return count;
            }
        }
        """ + Shop,
        Diagnostic(0, "Orders", "Customer"));
}
