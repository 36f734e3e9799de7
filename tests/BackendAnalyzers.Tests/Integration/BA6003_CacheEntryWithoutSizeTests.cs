using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.CacheEntryWithoutSizeAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.CacheEntryWithoutSizeAnalyzer, BackendAnalyzers.CodeFixes.Integration.CacheEntryWithoutSizeCodeFix>;

namespace BackendAnalyzers.Tests.Integration;

public class BA6003_CacheEntryWithoutSizeTests
{
    private const string AddMemoryCacheWithLimit = """
        public static class CacheSetup
        {
            public static void AddCaching(IServiceCollection services) => services.AddMemoryCache(o => o.SizeLimit = 1024);
        }
        """;

    private const string Writes = """
        using Clinic;
        using Microsoft.Extensions.Caching.Memory;

        public class PatientCache(IMemoryCache cache, AppDb db)
        {
            public void Remember(Patient patient) => cache.{|#0:Set|}("patient:" + patient.Id, patient, TimeSpan.FromMinutes(5));

            public Task<Patient?> GetAsync(int id) => cache.{|#1:GetOrCreateAsync|}("patient:" + id, entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return db.Patients.FirstOrDefaultAsync(p => p.Id == id);
            });

            public void WithOptions(Patient patient) =>
                cache.{|#2:Set|}("p", patient, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
        }
        """;

    [Fact]
    public async Task Flags_entries_without_size_when_add_memory_cache_sets_a_limit()
    {
        await VerifyCS.AnalyzerAsync(new[] { Writes, AddMemoryCacheWithLimit },
            Diag(0, "Set"), Diag(1, "GetOrCreateAsync"), Diag(2, "Set"));
    }

    [Fact]
    public async Task Flags_entries_without_size_when_options_are_created_or_configured_with_a_limit()
    {
        const string created = """
            using Microsoft.Extensions.Caching.Memory;

            public class LocalCache
            {
                private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100 });

                public void Put(string key, object value)
                {
                    _cache.{|#0:Set|}(key, value);
                    using var entry = _cache.{|#1:CreateEntry|}(key + ":raw");
                    entry.Value = value;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(created, Diag(0, "Set"), Diag(1, "CreateEntry"));

        const string configured = """
            using Microsoft.Extensions.Caching.Memory;

            public static class Setup
            {
                public static void Configure(IServiceCollection services) =>
                    services.Configure<MemoryCacheOptions>(options => { options.SizeLimit = 10_000; });
            }

            public class Writer(IMemoryCache cache)
            {
                public int Get(string key) => cache.{|#0:GetOrCreate|}(key, entry => { entry.SlidingExpiration = TimeSpan.FromMinutes(1); return 1; });
            }
            """;
        await VerifyCS.AnalyzerAsync(configured, Diag(0, "GetOrCreate"));
    }

    [Fact]
    public async Task Leaves_entries_with_size_alone()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;

            public class Sized(IMemoryCache cache, MemoryCacheEntryOptions fromCaller)
            {
                private static readonly MemoryCacheEntryOptions Shared = new MemoryCacheEntryOptions().SetSize(1).SetSlidingExpiration(TimeSpan.FromMinutes(1));

                public void Writes(string key, string value)
                {
                    cache.Set(key, value, new MemoryCacheEntryOptions { Size = value.Length, SlidingExpiration = TimeSpan.FromMinutes(1) });
                    cache.Set(key, value, Shared);
                    cache.Set(key, value, fromCaller);
                    var options = new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) };
                    options.Size = 2;
                    cache.Set(key, value, options);
                    cache.GetOrCreate(key, entry => { entry.Size = 1; entry.SlidingExpiration = TimeSpan.FromMinutes(1); return value; });
                    cache.GetOrCreate(key, entry => entry.SetSize(1).SetSlidingExpiration(TimeSpan.FromMinutes(1)).Key);
                    using var created = cache.CreateEntry(key);
                    created.SetSize(1);
                    created.Value = value;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(new[] { source, AddMemoryCacheWithLimit });
    }

    [Fact]
    public async Task Leaves_entries_alone_when_no_size_limit_is_set()
    {
        const string noLimit = """
            using Microsoft.Extensions.Caching.Memory;

            // SizeLimit is mentioned here only in a comment, on another type, and set to null.
            public class QuotaOptions { public long? SizeLimit { get; set; } }

            public static class Setup
            {
                public static void Configure(IServiceCollection services, QuotaOptions quota)
                {
                    quota.SizeLimit = 10;
                    services.AddMemoryCache(o => o.SizeLimit = null);
                }
            }

            public class Writer(IMemoryCache cache)
            {
                public void Put(string key, object value) => cache.Set(key, value, TimeSpan.FromMinutes(1));
            }
            """;
        await VerifyCS.AnalyzerAsync(noLimit);
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using Microsoft.Extensions.Caching.Memory;

            public class Broken(IMemoryCache cache)
            {
                private readonly MemoryCacheOptions _options = new() { SizeLimit = };
                private readonly Missing _missing = new() { SizeLimit = 5 };

                public void Put(string key)
                {
                    cache.{|#0:Set|}(key, 1)
                    cache.Set(key, );
                    cache.{|#1:GetOrCreate|}(key, entry => entry.);
                }
            }
            """);
        test.TestState.Sources.Add(AddMemoryCacheWithLimit);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.AddRange(new[] { Diag(0, "Set"), Diag(1, "GetOrCreate") });
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_sets_size_in_every_form()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;
            using Microsoft.Extensions.Primitives;

            public class Writer(IMemoryCache cache)
            {
                public void Put(string key, string value, IChangeToken token)
                {
                    cache.{|#0:Set|}(key, value);
                    cache.{|#1:Set|}(key, value, TimeSpan.FromMinutes(5));
                    cache.{|#2:Set|}(key, value, token);
                    cache.{|#3:Set|}(key, value, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) });
                    cache.{|#4:GetOrCreate|}(key, entry => value.Length);
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Memory;
            using Microsoft.Extensions.Primitives;

            public class Writer(IMemoryCache cache)
            {
                public void Put(string key, string value, IChangeToken token)
                {
                    cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1 });
                    cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5), Size = 1 });
                    cache.Set(key, value, new MemoryCacheEntryOptions { ExpirationTokens = { token }, Size = 1 });
                    cache.Set(key, value, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1), Size = 1 });
                    cache.GetOrCreate(key, entry =>
                    {
                        entry.Size = 1;
                        return value.Length;
                    });
                }
            }
            """;
        var test = new VerifyFix.CodeFixTest();
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(AddMemoryCacheWithLimit);
        test.FixedState.Sources.Add(fixedSource);
        test.FixedState.Sources.Add(AddMemoryCacheWithLimit);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.AddRange(new[] { Diag(0, "Set"), Diag(1, "Set"), Diag(2, "Set"), Diag(3, "Set"), Diag(4, "GetOrCreate") });
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_renames_the_expiration_argument_when_named()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;

            public class Writer(IMemoryCache cache)
            {
                public void Put(string key, string value) =>
                    cache.{|#0:Set|}(key, value, absoluteExpirationRelativeToNow: TimeSpan.FromMinutes(5));
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Memory;

            public class Writer(IMemoryCache cache)
            {
                public void Put(string key, string value) =>
                    cache.Set(key, value, options: new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5), Size = 1 });
            }
            """;
        var test = new VerifyFix.CodeFixTest();
        test.TestState.Sources.Add(source);
        test.TestState.Sources.Add(AddMemoryCacheWithLimit);
        test.FixedState.Sources.Add(fixedSource);
        test.FixedState.Sources.Add(AddMemoryCacheWithLimit);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.Add(Diag(0, "Set"));
        await test.RunAsync();
    }

    private static DiagnosticResult Diag(int location, string method) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(method).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
