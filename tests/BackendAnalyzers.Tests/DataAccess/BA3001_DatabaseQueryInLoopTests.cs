using BackendAnalyzers.DataAccess;
using BackendAnalyzers.Tests.Verifiers;
using Xunit;
using VerifyCS = BackendAnalyzers.Tests.Verifiers.Verify<BackendAnalyzers.DataAccess.DatabaseQueryInLoopAnalyzer>;

namespace BackendAnalyzers.Tests.DataAccess;

public class BA3001_DatabaseQueryInLoopTests
{
    [Fact]
    public async Task Flags_query_awaited_in_foreach()
    {
        const string source = """
            using Clinic;
            public class Service
            {
                private readonly AppDb _db;
                public Service(AppDb db) => _db = db;

                public async Task<List<string>> NamesAsync(int[] ids, CancellationToken ct)
                {
                    var names = new List<string>();
                    foreach (var id in ids)
                    {
                        var patient = await {|#0:_db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct)|};
                        names.Add(patient?.Name ?? "");
                    }
                    return names;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source, VerifyCS.Diagnostic().WithLocation(0).WithArguments("'FirstOrDefaultAsync' runs a database query"));
    }

    [Fact]
    public async Task Leaves_in_memory_find_alone()
    {
        const string source = """
            using Clinic;
            public class Service
            {
                public List<Patient> Match(List<Patient> all, int[] ids)
                {
                    var result = new List<Patient>();
                    foreach (var id in ids)
                    {
                        var p = all.Find(x => x.Id == id);
                        var q = all.FirstOrDefault(x => x.Id == id);
                        if (p != null) result.Add(p);
                    }
                    return result;
                }
            }
            """;
        await VerifyCS.AnalyzerAsync(source);
    }
}
