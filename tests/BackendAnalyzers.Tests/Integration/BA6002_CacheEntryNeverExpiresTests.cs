using BackendAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.CacheEntryNeverExpiresAnalyzer>;
using VerifyFix = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.Integration.CacheEntryNeverExpiresAnalyzer, BackendAnalyzers.CodeFixes.Integration.CacheEntryNeverExpiresCodeFix>;

namespace BackendAnalyzers.Tests.Integration;

public class BA6002_CacheEntryNeverExpiresTests
{
    [Fact]
    public async Task Flags_memory_cache_writes_without_expiration()
    {
        const string source = """
            using Clinic;
            using Microsoft.Extensions.Caching.Memory;

            public class DoctorCache
            {
                private readonly IMemoryCache _cache;
                private readonly AppDb _db;
                public DoctorCache(IMemoryCache cache, AppDb db) { _cache = cache; _db = db; }

                public void Remember(Doctor doctor) => _cache.{|#0:Set|}("doctor:" + doctor.DoctorId, doctor);

                public Task<Doctor?> GetAsync(int id) =>
                    _cache.{|#1:GetOrCreateAsync|}("doctor:" + id, entry => _db.Doctors.FirstOrDefaultAsync(d => d.DoctorId == id));

                public int Count() => _cache.{|#2:GetOrCreate|}("count", entry =>
                {
                    entry.Priority = CacheItemPriority.High;
                    return _db.Doctors.Count();
                });

                public void WithOptions(Doctor doctor)
                {
                    _cache.{|#3:Set|}("a", doctor, new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low });
                    var options = new MemoryCacheEntryOptions();
                    options.Priority = CacheItemPriority.High;
                    _cache.{|#4:Set|}("b", doctor, options);
                    using var entry = _cache.{|#5:CreateEntry|}("c");
                    entry.Value = doctor;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source,
            Diag(0, "Set"), Diag(1, "GetOrCreateAsync"), Diag(2, "GetOrCreate"), Diag(3, "Set"), Diag(4, "Set"), Diag(5, "CreateEntry"));
    }

    [Fact]
    public async Task Flags_distributed_cache_writes_without_expiration_in_a_controller()
    {
        const string source = """
            using System.Text;
            using Microsoft.Extensions.Caching.Distributed;

            [ApiController]
            [Route("api/tokens")]
            public class TokensController : ControllerBase
            {
                private readonly IDistributedCache _cache;
                public TokensController(IDistributedCache cache) => _cache = cache;

                [HttpPost]
                public async Task<IActionResult> Store(string key, string value, CancellationToken ct)
                {
                    await _cache.{|#0:SetStringAsync|}(key, value, ct);
                    _cache.{|#1:SetString|}(key + ":copy", value);
                    await _cache.{|#2:SetAsync|}(key + ":bytes", Encoding.UTF8.GetBytes(value), new DistributedCacheEntryOptions(), ct);
                    _cache.{|#3:Set|}(key + ":raw", Encoding.UTF8.GetBytes(value));
                    return NoContent();
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, Diag(0, "SetStringAsync"), Diag(1, "SetString"), Diag(2, "SetAsync"), Diag(3, "Set"));
    }

    [Fact]
    public async Task Leaves_entries_with_expiration_alone()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Distributed;
            using Microsoft.Extensions.Caching.Memory;
            using Microsoft.Extensions.Primitives;

            public class Caches
            {
                private static readonly MemoryCacheEntryOptions Shared = new() { SlidingExpiration = TimeSpan.FromMinutes(1) };
                private readonly IMemoryCache _memory;
                private readonly IDistributedCache _distributed;
                public Caches(IMemoryCache memory, IDistributedCache distributed) { _memory = memory; _distributed = distributed; }

                public void Memory(string key, object value, IChangeToken token, MemoryCacheEntryOptions fromCaller)
                {
                    _memory.Set(key, value, TimeSpan.FromMinutes(5));
                    _memory.Set(key, value, DateTimeOffset.UtcNow.AddHours(1));
                    _memory.Set(key, value, token);
                    _memory.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
                    _memory.Set(key, value, new MemoryCacheEntryOptions().SetPriority(CacheItemPriority.High).SetSlidingExpiration(TimeSpan.FromSeconds(30)));
                    _memory.Set(key, value, new MemoryCacheEntryOptions { ExpirationTokens = { token } });
                    _memory.Set(key, value, Shared);
                    _memory.Set(key, value, fromCaller);

                    var options = new MemoryCacheEntryOptions();
                    options.AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(3);
                    _memory.Set(key, value, options);

                    var viaToken = new MemoryCacheEntryOptions();
                    viaToken.AddExpirationToken(token);
                    _memory.Set(key, value, viaToken);

                    var configured = Configure(new MemoryCacheEntryOptions());
                    _memory.Set(key, value, configured);
                }

                public int Factories(string key, Func<ICacheEntry, int> factory)
                {
                    var a = _memory.GetOrCreate(key, entry => { entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1); return 1; });
                    var b = _memory.GetOrCreate(key, entry => { entry.SetSlidingExpiration(TimeSpan.FromSeconds(10)); return 2; });
                    var c = _memory.GetOrCreate(key, entry => entry.SetPriority(CacheItemPriority.Low).SetAbsoluteExpiration(TimeSpan.FromHours(1)).Priority == CacheItemPriority.Low ? 3 : 4);
                    var d = _memory.GetOrCreate(key, factory);
                    var e = _memory.GetOrCreate(key, entry => { ConfigureEntry(entry); return 5; });
                    var f = _memory.GetOrCreate(key, entry => 6, Shared);
                    var g = _memory.GetOrCreate(key, entry => { entry.SetOptions(Shared); return 7; });
                    return a + b + c + d + e + f + g;
                }

                public void Entries(string key, object value)
                {
                    using (var entry = _memory.CreateEntry(key))
                    {
                        entry.Value = value;
                        entry.SlidingExpiration = TimeSpan.FromMinutes(2);
                    }

                    _memory.CreateEntry(key).SetValue(value).SetAbsoluteExpiration(TimeSpan.FromMinutes(1)).Dispose();
                }

                public async Task Distributed(string key, string value, DistributedCacheEntryOptions fromCaller, CancellationToken ct)
                {
                    await _distributed.SetStringAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, ct);
                    _distributed.SetString(key, value, new DistributedCacheEntryOptions().SetSlidingExpiration(TimeSpan.FromMinutes(1)));
                    _distributed.SetString(key, value, fromCaller);
                }

                // Reads and removals are not writes; HybridCache applies a default expiration of its own.
                public async Task<string?> Others(string key, Microsoft.Extensions.Caching.Hybrid.HybridCache hybrid, CancellationToken ct)
                {
                    _memory.Remove(key);
                    _memory.TryGetValue(key, out object? _);
                    await hybrid.SetAsync(key, "v", cancellationToken: ct);
                    await hybrid.GetOrCreateAsync(key, _ => ValueTask.FromResult(1), cancellationToken: ct);
                    return await _distributed.GetStringAsync(key, ct);
                }

                private static MemoryCacheEntryOptions Configure(MemoryCacheEntryOptions options) => options.SetSlidingExpiration(TimeSpan.FromMinutes(1));
                private static void ConfigureEntry(ICacheEntry entry) => entry.SlidingExpiration = TimeSpan.FromMinutes(1);
            }

            // A look-alike with the same method names.
            public class MyCache
            {
                public void Set(string key, object value) { }
                public T GetOrCreate<T>(string key, Func<T> factory) => factory();
            }

            public class UsesLookAlike
            {
                public void Run(MyCache cache) { cache.Set("k", 1); cache.GetOrCreate("k", () => 1); }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }

    [Fact]
    public async Task Leaves_distributed_writes_alone_when_sql_server_cache_supplies_a_default()
    {
        const string stub = """
            namespace Microsoft.Extensions.Caching.SqlServer
            {
                // Stands in for the SQL Server distributed cache package, whose entries get a default sliding expiration.
                public class SqlServerCache { }
            }
            """;
        const string source = """
            using Microsoft.Extensions.Caching.Distributed;

            public class Store
            {
                public void Save(IDistributedCache cache, string key, string value) => cache.SetString(key, value);
            }
            """;
        await VerifyCS.AnalyzerAsync(new[] { source, stub });
    }

    [Fact]
    public async Task Does_not_throw_on_broken_code()
    {
        var test = new VerifyCS.AnalyzerTest { CompilerDiagnostics = CompilerDiagnostics.None };
        test.TestState.Sources.Add("""
            using Microsoft.Extensions.Caching.Memory;
            using Microsoft.Extensions.Caching.Distributed;

            public class Broken
            {
                public void Run(IMemoryCache cache, IDistributedCache distributed, Missing missing)
                {
                    cache.Set("k", )
                    cache.{|#0:GetOrCreate|}("k", entry => { entry. ; return 1; });
                    cache.GetOrCreate("k", );
                    cache.{|#1:Set|}("k", 1, new MemoryCacheEntryOptions { Unknown = 1 });
                    distributed.SetString("k", missing.Value, new DistributedCacheEntryOptions { });
                    var options = new MemoryCacheEntryOptions(;
                    cache.{|#2:Set|}("k", 2, options);
                }
            }
            """);
        test.AddDefaults(null);
        test.ExpectedDiagnostics.AddRange(new[] { Diag(0, "GetOrCreate"), Diag(1, "Set"), Diag(2, "Set") });
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_appends_expiration_to_set_and_honours_the_option()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public void Save(string key, object value)
                {
                    cache.{|#0:Set|}(key, value);
                    cache.{|#1:Set|}(key: key + "2", value: value);
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public void Save(string key, object value)
                {
                    cache.Set(key, value, TimeSpan.FromSeconds(90));
                    cache.Set(key: key + "2", value: value, absoluteExpirationRelativeToNow: TimeSpan.FromSeconds(90));
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, "backend_analyzers.default_cache_expiration = 00:01:30\n", Diag(0, "Set"), Diag(1, "Set"));
    }

    [Fact]
    public async Task Fix_sets_expiration_in_factories_including_nested_ones()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public Task<int> LoadAsync(string key) =>
                    cache.{|#0:GetOrCreateAsync|}(key, async _ => await Task.FromResult(1));

                public int Load(string key) => cache.{|#1:GetOrCreate|}(key, entry =>
                {
                    entry.Priority = CacheItemPriority.High;
                    return cache.{|#2:GetOrCreate|}(key + ":inner", inner => 2);
                });
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public Task<int> LoadAsync(string key) =>
                    cache.GetOrCreateAsync(key, async entry =>
                    {
                        entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                        return await Task.FromResult(1);
                    });

                public int Load(string key) => cache.GetOrCreate(key, entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                    entry.Priority = CacheItemPriority.High;
                    return cache.GetOrCreate(key + ":inner", inner =>
                    {
                        inner.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                        return 2;
                    });
                });
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diag(0, "GetOrCreateAsync"), Diag(1, "GetOrCreate"), Diag(2, "GetOrCreate"));
    }

    [Fact]
    public async Task Fix_adds_expiration_to_options_initializers()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public void Save(string key, object value)
                {
                    cache.{|#0:Set|}(key, value, new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low });
                    var options = new MemoryCacheEntryOptions();
                    cache.{|#1:Set|}(key + "2", value, options);
                    cache.{|#2:Set|}(key + "3", value, new MemoryCacheEntryOptions
                    {
                        Priority = CacheItemPriority.High
                    });
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Memory;

            public class Service(IMemoryCache cache)
            {
                public void Save(string key, object value)
                {
                    cache.Set(key, value, new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
                    var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) };
                    cache.Set(key + "2", value, options);
                    cache.Set(key + "3", value, new MemoryCacheEntryOptions
                    {
                        Priority = CacheItemPriority.High,
                        AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5)
                    });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diag(0, "Set"), Diag(1, "Set"), Diag(2, "Set"));
    }

    [Fact]
    public async Task Fix_adds_distributed_options_before_the_token_and_adds_the_using()
    {
        const string source = """
            public class Service(Microsoft.Extensions.Caching.Distributed.IDistributedCache cache)
            {
                public async Task Save(string key, string value, byte[] bytes, CancellationToken ct)
                {
                    await Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions.{|#0:SetStringAsync|}(cache, key, value, ct);
                    await Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions.{|#2:SetStringAsync|}(cache, key, value, token: ct);
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Distributed;

            public class Service(Microsoft.Extensions.Caching.Distributed.IDistributedCache cache)
            {
                public async Task Save(string key, string value, byte[] bytes, CancellationToken ct)
                {
                    await Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions.SetStringAsync(cache, key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, ct);
                    await Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions.SetStringAsync(cache, key, value, token: ct, options: new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diag(0, "SetStringAsync"), Diag(2, "SetStringAsync"));
    }

    [Fact]
    public async Task Fix_adds_distributed_options_in_extension_form()
    {
        const string source = """
            using Microsoft.Extensions.Caching.Distributed;

            public class Service(IDistributedCache cache)
            {
                public async Task Save(string key, string value, byte[] bytes, CancellationToken ct)
                {
                    await cache.{|#0:SetStringAsync|}(key, value, ct);
                    cache.{|#1:SetString|}(key, value);
                    cache.{|#2:Set|}(key, bytes);
                    await cache.{|#3:SetAsync|}(key, bytes);
                }
            }
            """;
        const string fixedSource = """
            using Microsoft.Extensions.Caching.Distributed;

            public class Service(IDistributedCache cache)
            {
                public async Task Save(string key, string value, byte[] bytes, CancellationToken ct)
                {
                    await cache.SetStringAsync(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, ct);
                    cache.SetString(key, value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
                    cache.Set(key, bytes, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
                    await cache.SetAsync(key, bytes, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
                }
            }
            """;
        await VerifyFix.CodeFixAsync(source, fixedSource, Diag(0, "SetStringAsync"), Diag(1, "SetString"), Diag(2, "Set"), Diag(3, "SetAsync"));
    }

    private static DiagnosticResult Diag(int location, string method) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(method).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
