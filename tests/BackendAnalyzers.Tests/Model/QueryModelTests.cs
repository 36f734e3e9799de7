using BackendAnalyzers.Infrastructure;
using BackendAnalyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace BackendAnalyzers.Tests.Model;

public class QueryModelTests
{
    private sealed class Setup
    {
        public Setup(string[] sources)
        {
            Host = ModelTestHost.Create(sources).AssertNoErrors();
            Model = new QueryModel(new KnownTypes(Host.Compilation), new FunctionBodies(Host.Compilation));
        }

        public ModelTestHost Host { get; }

        public QueryModel Model { get; }
    }

    private static Setup Create(params string[] sources) => new(sources);

    // ---------------------------------------------------------------- GetRoundTrip

    private const string RoundTripSource = """
        using System.Data;
        using System.Data.Common;
        using Clinic;
        using Dapper;

        public class Probe
        {
            public async Task Run(AppDb db, DbConnection connection, DbCommand command, IDbCommand legacy, List<Patient> list, Patient patient, CancellationToken ct)
            {
                var a = /*efList*/ await db.Patients.Where(p => p.Id > 1).ToListAsync(ct);
                var a2 = /*efFirst*/ db.Patients.First();
                var a3 = /*efAny*/ await db.Patients.AnyAsync(ct);
                var b = /*find*/ db.Patients.Find(1);
                var c = /*contextFind*/ await db.FindAsync<Patient>(1);
                /*save*/ await db.SaveChangesAsync(ct);
                /*saveSync*/ db.SaveChanges();
                var d = /*dapper*/ await connection.QueryAsync<Patient>("SELECT * FROM Patients");
                var d2 = /*dapperExecute*/ await connection.ExecuteAsync("DELETE FROM Patients");
                var e = /*ado*/ await command.ExecuteScalarAsync(ct);
                var e2 = /*adoReader*/ await command.ExecuteReaderAsync(ct);
                var f = /*legacy*/ legacy.ExecuteNonQuery();
                var g = /*memory*/ list.Where(p => p.Id > 1).ToList();
                var h = /*memoryFind*/ list.Find(p => p.Id == 1);
                var i = /*asQueryable*/ list.AsQueryable().Count();
                /*load*/ await db.Entry(patient).Collection(x => x.Appointments).LoadAsync(ct);
                /*loadReference*/ db.Entry(patient).Reference(x => x.Doctor).Load();
                /*reload*/ await db.Entry(patient).ReloadAsync(ct);
                /*bulk*/ await db.Appointments.Where(x => x.PatientId == 1).ExecuteDeleteAsync(ct);
                /*raw*/ await db.Database.ExecuteSqlRawAsync("DELETE FROM Patients");
                var q = db.Patients.Where(p => p.Id > 1);
                var j = /*throughLocal*/ q.Count();
                var k = /*navigation*/ await db.Entry(patient).Collection(x => x.Appointments).Query().CountAsync(ct);
                var l = /*notExecuting*/ db.Patients.Where(p => p.Id > 1).OrderBy(p => p.Name);
                var m = /*open*/ connection.OpenAsync(ct);
                var n = /*entry*/ db.Entry(patient);
            }
        }
        """;

    [Theory]
    [InlineData("efList", "EfQuery", "ToListAsync")]
    [InlineData("efFirst", "EfQuery", "First")]
    [InlineData("efAny", "EfQuery", "AnyAsync")]
    [InlineData("find", "EfFind", "Find")]
    [InlineData("contextFind", "EfFind", "FindAsync")]
    [InlineData("save", "SaveChanges", "SaveChangesAsync")]
    [InlineData("saveSync", "SaveChanges", "SaveChanges")]
    [InlineData("dapper", "Dapper", "QueryAsync")]
    [InlineData("dapperExecute", "Dapper", "ExecuteAsync")]
    [InlineData("ado", "AdoNet", "ExecuteScalarAsync")]
    [InlineData("adoReader", "AdoNet", "ExecuteReaderAsync")]
    [InlineData("legacy", "AdoNet", "ExecuteNonQuery")]
    [InlineData("memory", null, null)]
    [InlineData("memoryFind", null, null)]
    [InlineData("asQueryable", null, null)]
    [InlineData("load", "EfLoad", "LoadAsync")]
    [InlineData("loadReference", "EfLoad", "Load")]
    [InlineData("reload", "EfLoad", "ReloadAsync")]
    [InlineData("bulk", "EfBulk", "ExecuteDeleteAsync")]
    [InlineData("raw", "EfRawSql", "ExecuteSqlRawAsync")]
    [InlineData("throughLocal", "EfQuery", "Count")]
    [InlineData("navigation", "EfQuery", "CountAsync")]
    [InlineData("notExecuting", null, null)]
    [InlineData("open", null, null)]
    [InlineData("entry", null, null)]
    public void GetRoundTrip_classifies_calls(string marker, string? kind, string? name)
    {
        var setup = Create(RoundTripSource);
        var invocation = setup.Host.Operation<IInvocationOperation>(marker);

        var trip = setup.Model.GetRoundTrip(invocation, CancellationToken.None);

        Assert.Equal(kind, trip?.Kind.ToString());
        Assert.Equal(name, trip?.Name);
        if (trip is not null)
        {
            Assert.Same(invocation, trip.Operation);
        }
    }

    [Fact]
    public void SaveChanges_of_an_interface_that_exposes_DbSets_is_a_save()
    {
        var setup = Create("""
            using Clinic;

            public interface IReadSets { DbSet<Patient> Patients { get; } }
            public interface IClinicContext : IReadSets { Task<int> SaveChangesAsync(CancellationToken ct = default); }
            public interface IUnitOfWork { int SaveChanges(); }

            public class Probe
            {
                public async Task Run(IClinicContext context, IUnitOfWork work)
                {
                    /*context*/ await context.SaveChangesAsync();
                    /*work*/ work.SaveChanges();
                }
            }
            """);

        Assert.Equal(RoundTripKind.SaveChanges, setup.Model.GetRoundTrip(setup.Host.Operation<IInvocationOperation>("context"), CancellationToken.None)?.Kind);
        Assert.Null(setup.Model.GetRoundTrip(setup.Host.Operation<IInvocationOperation>("work"), CancellationToken.None));
        Assert.True(setup.Model.IsDbContextAbstraction(setup.Host.Type("IClinicContext")));
        Assert.True(setup.Model.IsDbContextAbstraction(setup.Host.Type("IReadSets")));
        Assert.False(setup.Model.IsDbContextAbstraction(setup.Host.Type("IUnitOfWork")));
        Assert.False(setup.Model.IsDbContextAbstraction(setup.Host.Type("Clinic.AppDb")));
    }

    [Fact]
    public void GetEnumerationRoundTrip_finds_foreach_over_a_query_only()
    {
        var setup = Create("""
            using Clinic;
            public class Probe
            {
                public async Task Run(AppDb db, List<Patient> list)
                {
                    /*query*/ foreach (var p in db.Patients.Where(x => x.Id > 1)) { }
                    /*stream*/ await foreach (var p in db.Patients.AsAsyncEnumerable()) { }
                    /*memory*/ foreach (var p in list) { }
                    /*materialized*/ foreach (var p in db.Patients.ToList()) { }
                }
            }
            """);

        string? Name(string marker) => setup.Model.GetEnumerationRoundTrip(setup.Host.Operation<IForEachLoopOperation>(marker), CancellationToken.None)?.Name;

        Assert.Equal("foreach", Name("query"));
        Assert.Equal("await foreach", Name("stream"));
        Assert.Null(Name("memory"));
        Assert.Null(Name("materialized"));
    }

    [Fact]
    public void Model_is_disabled_without_a_data_access_library()
    {
        var host = ModelTestHost.Create(includeClinicModel: false, "public class Empty { }");
        var types = new KnownTypes(host.Compilation);

        // The test references include EF Core, so the model is on; its switch is the three library types.
        var model = new QueryModel(types, new FunctionBodies(host.Compilation));
        Assert.True(model.IsEnabled);
        Assert.NotNull(types.DbContext);
    }

    // ---------------------------------------------------------------- GetChain

    private const string ChainSource = """
        using Clinic;

        public class Reports : DbContext
        {
            public DbSet<Patient> Patients => Set<Patient>();
            public IQueryable<Patient> Active => Patients.Where(p => p.Name != "");
            public IQueryable<Patient> ForDoctor(int doctorId) => Patients.Where(p => p.DoctorId == doctorId);
        }

        public class PatientQueries
        {
            private readonly AppDb _db;
            public PatientQueries(AppDb db) => _db = db;
            public IQueryable<Patient> Query() => _db.Patients.AsNoTracking();
        }

        public static class Paging
        {
            public static IQueryable<T> Page<T>(this IQueryable<T> query, int page, int size) => query.Skip(page * size).Take(size);
        }

        public class Probe
        {
            public void Run(AppDb db, Reports reports, PatientQueries queries, IQueryable<Patient> source, List<Patient> list, Patient patient, bool filter)
            {
                var dbSet = /*dbSet*/ db.Patients.Where(p => p.Id > 1).OrderBy(p => p.Name);
                var set = /*set*/ db.Set<Appointment>().Where(a => a.PatientId == 1);
                var member = /*member*/ reports.Active.OrderBy(p => p.Id);
                var memberMethod = /*memberMethod*/ reports.ForDoctor(1).Take(5);
                var parameter = /*parameter*/ source.Where(p => p.Id > 1);

                var q = db.Patients.Where(p => p.Id > 1);
                if (filter)
                {
                    q = q.Where(p => p.Name != "");
                }
                q = q.OrderBy(p => p.Name).Take(10);
                var local = /*local*/ q.Select(p => p.Name);

                var early = db.Appointments.Where(a => a.PatientId == 1);
                var count = /*beforeLaterAssignment*/ early.Count();
                early = early.OrderBy(a => a.StartsAt);

                var repository = /*repository*/ queries.Query().Where(p => p.DoctorId == 2);
                var paged = /*paged*/ db.Patients.OrderBy(p => p.Id).Page(1, 20);
                var memory = /*memory*/ list.Where(p => p.Id > 1);
                var materialized = /*materialized*/ db.Patients.Where(p => p.Id > 1).ToList().Where(p => p.Name != "");
                var navigation = /*navigation*/ db.Entry(patient).Collection(x => x.Appointments).Query().Where(a => a.Id > 1);
            }
        }
        """;

    private static string[] OperatorNames(QueryChain chain) => chain.Operators.Select(o => o.TargetMethod.Name).ToArray();

    [Fact]
    public void GetChain_starts_at_a_DbSet()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("dbSet"), CancellationToken.None);

        Assert.NotNull(chain);
        Assert.Equal(QueryRootKind.DbSet, chain!.RootKind);
        Assert.True(chain.IsEntityFramework);
        Assert.Equal("Patient", chain.EntityType?.Name);
        Assert.Equal(new[] { "Where", "OrderBy" }, OperatorNames(chain));
        Assert.True(chain.HasOrdering);
        Assert.False(chain.HasTake);
        Assert.Null(chain.MaterializedBy);
        Assert.True(setup.Model.IsEfQuery(setup.Host.Operation("dbSet"), CancellationToken.None));
    }

    [Fact]
    public void GetChain_starts_at_Set_of_T()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("set"), CancellationToken.None);

        Assert.Equal(QueryRootKind.DbContextSet, chain!.RootKind);
        Assert.Equal("Appointment", chain.EntityType?.Name);
        Assert.Equal(new[] { "Where" }, OperatorNames(chain));
    }

    [Theory]
    [InlineData("member", "OrderBy")]
    [InlineData("memberMethod", "Take")]
    public void GetChain_starts_at_a_queryable_member_of_a_DbContext(string marker, string op)
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation(marker), CancellationToken.None);

        Assert.Equal(QueryRootKind.DbContextMember, chain!.RootKind);
        Assert.Equal("Patient", chain.EntityType?.Name);
        Assert.Equal(new[] { op }, OperatorNames(chain));
        Assert.True(chain.IsEntityFramework);
    }

    [Fact]
    public void GetChain_starts_at_a_queryable_parameter_that_is_not_known_to_be_EF()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("parameter"), CancellationToken.None);

        Assert.Equal(QueryRootKind.Parameter, chain!.RootKind);
        Assert.False(chain.IsEntityFramework);
        Assert.Equal(new[] { "Where" }, OperatorNames(chain));
    }

    [Fact]
    public void GetChain_follows_locals_and_self_assignments_in_source_order()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("local"), CancellationToken.None);

        Assert.Equal(QueryRootKind.DbSet, chain!.RootKind);
        Assert.Equal(new[] { "Where", "Where", "OrderBy", "Take", "Select" }, OperatorNames(chain));
        Assert.True(chain.HasTake);
        Assert.True(chain.HasOrdering);
    }

    [Fact]
    public void GetChain_ignores_assignments_after_the_use()
    {
        var setup = Create(ChainSource);
        var count = setup.Host.Operation<IInvocationOperation>("beforeLaterAssignment");
        var chain = setup.Model.GetChain(count.Arguments[0].Value, CancellationToken.None);

        Assert.Equal(new[] { "Where" }, OperatorNames(chain!));
        Assert.False(chain!.HasOrdering);
    }

    [Fact]
    public void GetChain_goes_through_a_repository_method_returning_IQueryable()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("repository"), CancellationToken.None);

        Assert.Equal(QueryRootKind.DbSet, chain!.RootKind);
        Assert.Equal(new[] { "AsNoTracking", "Where" }, OperatorNames(chain));
        Assert.Equal(new[] { "Query" }, chain.Helpers.Select(h => h.Name));
        Assert.False(chain.HelpersApplyTake);
    }

    [Fact]
    public void GetChain_marks_a_paging_helper()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("paged"), CancellationToken.None);

        Assert.Equal(QueryRootKind.DbSet, chain!.RootKind);
        Assert.Equal(new[] { "Page" }, chain.Helpers.Select(h => h.Name));
        Assert.True(chain.HelpersApplyTake);
        Assert.True(chain.HasTake);
        Assert.Equal(new[] { "OrderBy" }, OperatorNames(chain));
    }

    [Fact]
    public void GetChain_returns_null_for_in_memory_sequences()
    {
        var setup = Create(ChainSource);

        Assert.Null(setup.Model.GetChain(setup.Host.Operation("memory"), CancellationToken.None));
        Assert.False(setup.Model.IsEfQuery(setup.Host.Operation("memory"), CancellationToken.None));
    }

    [Fact]
    public void GetChain_stops_at_materialization_unless_asked_to_go_through()
    {
        var setup = Create(ChainSource);
        var expression = setup.Host.Operation("materialized");

        Assert.Null(setup.Model.GetChain(expression, CancellationToken.None));

        var through = setup.Model.GetChainThroughMaterializers(expression, CancellationToken.None);
        Assert.Equal(QueryRootKind.DbSet, through!.RootKind);
        Assert.Equal("ToList", through.MaterializedBy?.TargetMethod.Name);
        Assert.Equal(new[] { "Where", "Where" }, OperatorNames(through));
    }

    [Fact]
    public void GetChain_starts_at_a_navigation_query()
    {
        var setup = Create(ChainSource);
        var chain = setup.Model.GetChain(setup.Host.Operation("navigation"), CancellationToken.None);

        Assert.Equal(QueryRootKind.Navigation, chain!.RootKind);
        Assert.True(chain.IsEntityFramework);
        Assert.Equal("Appointment", chain.EntityType?.Name);
        Assert.Equal(new[] { "Where" }, OperatorNames(chain));
    }

    // ---------------------------------------------------------------- ResolveImplementation

    private const string ImplementationSource = """
        using Clinic;

        public interface ISingle { Task<Patient?> GetAsync(int id); }
        public class Single : ISingle { public Task<Patient?> GetAsync(int id) => Task.FromResult<Patient?>(null); }

        public interface IDouble { int Count(); }
        public class First : IDouble { public int Count() => 1; }
        public class Second : IDouble { public int Count() => 2; }

        public interface IInherited { int Value(); }
        public class BaseImpl : IInherited { public int Value() => 1; }
        public class DerivedImpl : BaseImpl { }

        public abstract class Handler { public abstract int Handle(); public virtual int Describe() => 0; }
        public class OnlyHandler : Handler { public override int Handle() => 1; }

        public abstract class TwoHandlers { public abstract int Handle(); }
        public class HandlerA : TwoHandlers { public override int Handle() => 1; }
        public class HandlerB : TwoHandlers { public override int Handle() => 2; }

        public interface IRepository<T> { T? Get(int id); }
        public class Repository<T> : IRepository<T> { public T? Get(int id) => default; }

        public interface IUnimplemented { void Run(); }

        public interface IHandler<T> { void Handle(T item); }
        public class BothHandler : IHandler<int>, IHandler<string> { public void Handle(int item) { } public void Handle(string item) { } }

        public interface IShape { double Area(); }
        public class Circle : IShape { public double Area() => 3.14; }
        public struct Square : IShape { public double Area() => 1; }

        public class Plain { public int Work() => 1; }

        public interface IViaAbstractBase { int Load(); }
        public abstract class LoaderBase : IViaAbstractBase { public abstract int Load(); }
        public sealed class OnlyLoader : LoaderBase { public override int Load() => 1; }

        namespace Shapes { public interface IQualified { int Sides(); } }
        public class Triangle : Shapes.IQualified { public int Sides() => 3; }
        """;

    [Theory]
    [InlineData("ISingle", "GetAsync", "Single.GetAsync")]
    [InlineData("IDouble", "Count", null)]
    [InlineData("IInherited", "Value", "BaseImpl.Value")]
    [InlineData("Handler", "Handle", "OnlyHandler.Handle")]
    [InlineData("Handler", "Describe", "Handler.Describe")]
    [InlineData("TwoHandlers", "Handle", null)]
    [InlineData("IRepository`1", "Get", "Repository.Get")]
    [InlineData("IUnimplemented", "Run", null)]
    [InlineData("IHandler`1", "Handle", null)]
    [InlineData("IShape", "Area", null)]
    [InlineData("Plain", "Work", "Plain.Work")]
    [InlineData("IViaAbstractBase", "Load", "OnlyLoader.Load")]
    [InlineData("Shapes.IQualified", "Sides", "Triangle.Sides")]
    public void ResolveImplementation_finds_the_single_implementation(string type, string method, string? expected)
    {
        var setup = Create(ImplementationSource);
        var symbol = setup.Host.Method(type, method);

        var implementation = setup.Model.ResolveImplementation(symbol);

        Assert.Equal(expected, implementation?.ToDisplayName());
    }

    [Fact]
    public void ResolveImplementation_of_a_constructed_generic_interface_method_finds_the_generic_class()
    {
        var setup = Create(ImplementationSource + """

            public class Caller
            {
                public Patient? Run(IRepository<Patient> repository) => /*call*/ repository.Get(1);
            }
            """);
        var call = setup.Host.Operation<IInvocationOperation>("call");

        var implementation = setup.Model.ResolveImplementation(call.TargetMethod);

        Assert.Equal("Repository.Get", implementation?.ToDisplayName());
        Assert.True(implementation!.IsDefinition);
    }

    [Fact]
    public void ResolveImplementation_returns_null_for_library_methods()
    {
        var setup = Create(ImplementationSource);
        var join = setup.Host.Type("System.String").GetMembers("Join").OfType<IMethodSymbol>().First();
        var disposable = setup.Host.Type("System.IDisposable").GetMembers("Dispose").OfType<IMethodSymbol>().Single();

        Assert.Null(setup.Model.ResolveImplementation(join));
        Assert.Null(setup.Model.ResolveImplementation(disposable));
    }

    // ---------------------------------------------------------------- GetSummary

    private const string SummarySource = """
        using Clinic;
        using Microsoft.Extensions.Caching.Memory;

        public class Direct
        {
            private readonly AppDb _db;
            public Direct(AppDb db) => _db = db;
            public Task<Patient?> GetAsync(int id) => _db.Patients.FirstOrDefaultAsync(p => p.Id == id);
            public void Rename(Patient p) { p.Name = p.Name.Trim(); _db.SaveChanges(); }
            public async Task LoadAndSaveAsync(int id) { var p = await _db.Patients.FindAsync(id); await _db.SaveChangesAsync(); }
            public int Pure(int x) => x * 2;
        }

        public class Chain
        {
            private readonly Direct _direct;
            public Chain(Direct direct) => _direct = direct;
            public Task<Patient?> Outer(int id) => Middle(id);
            private Task<Patient?> Middle(int id) => _direct.GetAsync(id);
            public void SaveThrough(Patient p) => _direct.Rename(p);
        }

        public class Shortest
        {
            private readonly AppDb _db;
            private readonly Chain _chain;
            public Shortest(AppDb db, Chain chain) { _db = db; _chain = chain; }
            public async Task<int> Run(int id)
            {
                await _chain.Outer(id);
                return await Count(id);
            }
            private Task<int> Count(int id) => _db.Appointments.CountAsync(a => a.PatientId == id);
        }

        public class Cycle
        {
            private readonly AppDb _db;
            public Cycle(AppDb db) => _db = db;
            public int Ping(int n) => n <= 0 ? 0 : Pong(n - 1);
            public int Pong(int n) => n <= 0 ? 0 : Ping(n - 1);
            public int QueryPing(int n) => n <= 0 ? _db.Patients.Count() : QueryPong(n - 1);
            public int QueryPong(int n) => QueryPing(n - 1);
            public int Recursive(int n) => n <= 0 ? 0 : Recursive(n - 1);
        }

        public interface IPatients { Task<Patient?> GetAsync(int id); }
        public class Patients : IPatients
        {
            private readonly Direct _direct;
            public Patients(Direct direct) => _direct = direct;
            public Task<Patient?> GetAsync(int id) => _direct.GetAsync(id);
        }

        public class Lambdas
        {
            private readonly AppDb _db;
            private readonly IMemoryCache _cache;
            public Lambdas(AppDb db, IMemoryCache cache) { _db = db; _cache = cache; }
            public Task<Patient?> Cached(int id) => _cache.GetOrCreateAsync(id, _ => _db.Patients.FirstOrDefaultAsync(p => p.Id == id));
            public Func<int> Later() => () => _db.Patients.Count();
            public int LocalFunction() { return Count(); int Count() => _db.Patients.Count(); }
        }

        public class Deep
        {
            private readonly AppDb _db;
            public Deep(AppDb db) => _db = db;
            public int L0() => L1();
            public int L1() => L2();
            public int L2() => L3();
            public int L3() => L4();
            public int L4() => L5();
            public int L5() => L6();
            public int L6() => _db.Patients.Count();
        }

        public class Enumerates
        {
            private readonly AppDb _db;
            public Enumerates(AppDb db) => _db = db;
            public int Run() { var n = 0; foreach (var p in _db.Patients) { n++; } return n; }
        }
        """;

    private static string Path(MethodQuerySummary summary) => string.Join(" > ", summary.Path.Select(m => m.ToDisplayName()));

    [Fact]
    public void GetSummary_of_a_method_that_queries_directly()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("Direct", "GetAsync"), CancellationToken.None);

        Assert.True(summary.RunsQuery);
        Assert.Equal("FirstOrDefaultAsync", summary.RoundTripName);
        Assert.Empty(summary.Path);
        Assert.False(summary.Saves);
    }

    [Fact]
    public void GetSummary_of_a_method_without_io_is_None()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("Direct", "Pure"), CancellationToken.None);

        Assert.Same(MethodQuerySummary.None, summary);
        Assert.False(summary.RunsQuery);
    }

    [Fact]
    public void GetSummary_follows_calls_and_names_the_path()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("Chain", "Outer"), CancellationToken.None);

        Assert.Equal("FirstOrDefaultAsync", summary.RoundTripName);
        Assert.Equal("Chain.Middle > Direct.GetAsync", Path(summary));
    }

    [Fact]
    public void GetSummary_explains_with_the_shortest_path()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("Shortest", "Run"), CancellationToken.None);

        Assert.Equal("CountAsync", summary.RoundTripName);
        Assert.Equal("Shortest.Count", Path(summary));
    }

    [Fact]
    public void GetSummary_goes_through_an_interface_with_a_single_implementation()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("IPatients", "GetAsync"), CancellationToken.None);

        Assert.Equal("FirstOrDefaultAsync", summary.RoundTripName);
        Assert.Equal("Direct.GetAsync", Path(summary));
    }

    [Theory]
    [InlineData("Ping", null)]
    [InlineData("Pong", null)]
    [InlineData("QueryPing", "Count")]
    [InlineData("QueryPong", "Count")]
    [InlineData("Recursive", null)]
    public async Task GetSummary_ends_on_cycles(string method, string? roundTrip)
    {
        var setup = Create(SummarySource);
        var summary = await Task.Run(() => setup.Model.GetSummary(setup.Host.Method("Cycle", method), CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(30)); // a TimeoutException here means the walk does not end on a cycle

        Assert.Equal(roundTrip, summary.RoundTripName);
    }

    [Fact]
    public void GetSummary_reports_saves_separately_from_queries()
    {
        var setup = Create(SummarySource);

        var rename = setup.Model.GetSummary(setup.Host.Method("Direct", "Rename"), CancellationToken.None);
        Assert.True(rename.Saves);
        Assert.False(rename.RunsQuery);

        var through = setup.Model.GetSummary(setup.Host.Method("Chain", "SaveThrough"), CancellationToken.None);
        Assert.True(through.Saves);
        Assert.False(through.RunsQuery);

        var both = setup.Model.GetSummary(setup.Host.Method("Direct", "LoadAndSaveAsync"), CancellationToken.None);
        Assert.True(both.Saves);
        Assert.Equal("FindAsync", both.RoundTripName);
    }

    [Fact]
    public void GetSummary_names_the_save_and_its_path()
    {
        var setup = Create(SummarySource);

        var rename = setup.Model.GetSummary(setup.Host.Method("Direct", "Rename"), CancellationToken.None);
        Assert.Equal("SaveChanges", rename.SaveName);
        Assert.Empty(rename.SavePath);

        var through = setup.Model.GetSummary(setup.Host.Method("Chain", "SaveThrough"), CancellationToken.None);
        Assert.Equal("SaveChanges", through.SaveName);
        Assert.Equal(new[] { "Direct.Rename" }, through.SavePath.Select(m => m.ToDisplayName()));

        var both = setup.Model.GetSummary(setup.Host.Method("Direct", "LoadAndSaveAsync"), CancellationToken.None);
        Assert.Equal("SaveChangesAsync", both.SaveName);
        Assert.Empty(both.Path);
        Assert.Empty(both.SavePath);

        var query = setup.Model.GetSummary(setup.Host.Method("Direct", "GetAsync"), CancellationToken.None);
        Assert.Null(query.SaveName);
    }

    [Fact]
    public void GetSummary_does_not_follow_lambdas_but_follows_local_functions()
    {
        var setup = Create(SummarySource);

        Assert.False(setup.Model.GetSummary(setup.Host.Method("Lambdas", "Cached"), CancellationToken.None).RunsQuery);
        Assert.False(setup.Model.GetSummary(setup.Host.Method("Lambdas", "Later"), CancellationToken.None).RunsQuery);

        var local = setup.Model.GetSummary(setup.Host.Method("Lambdas", "LocalFunction"), CancellationToken.None);
        Assert.Equal("Count", local.RoundTripName);
        Assert.Equal("Count", Path(local));
    }

    [Fact]
    public void GetSummary_follows_at_most_MaxCallDepth_methods()
    {
        var setup = Create(SummarySource);

        // L1 > ... > L6: six methods, the last one queries.
        var withinDepth = setup.Model.GetSummary(setup.Host.Method("Deep", "L1"), CancellationToken.None);
        Assert.Equal("Count", withinDepth.RoundTripName);
        Assert.Equal(QueryModel.MaxCallDepth - 1, withinDepth.Path.Length);

        // L0 > ... > L6: seven methods, one too many.
        Assert.False(setup.Model.GetSummary(setup.Host.Method("Deep", "L0"), CancellationToken.None).RunsQuery);
    }

    [Fact]
    public void GetSummary_counts_foreach_over_a_query()
    {
        var setup = Create(SummarySource);
        var summary = setup.Model.GetSummary(setup.Host.Method("Enumerates", "Run"), CancellationToken.None);

        Assert.Equal("foreach", summary.RoundTripName);
    }

    [Fact]
    public void GetSummary_is_the_same_when_asked_again()
    {
        var setup = Create(SummarySource);
        var method = setup.Host.Method("Chain", "Outer");

        var first = setup.Model.GetSummary(method, CancellationToken.None);
        var second = setup.Model.GetSummary(method, CancellationToken.None);

        Assert.Same(first, second);
    }
}
