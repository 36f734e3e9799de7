using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace BackendAnalyzers.Tests.Verifiers;

/// <summary>
/// The references every test compilation gets, supplied offline: the .NET 10 reference assemblies from
/// Basic.Reference.Assemblies.Net100, plus the ASP.NET Core shared framework, EF Core, Dapper, FluentValidation and JWT bearer
/// assemblies this test project itself references. Nothing is downloaded.
/// </summary>
public static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAll = new(Build);

    /// <summary>A ReferenceAssemblies value that resolves nothing by itself; the real references come from <see cref="All"/>.</summary>
    public static ReferenceAssemblies None { get; } = new ReferenceAssemblies("net10.0");

    public static ImmutableArray<MetadataReference> All => LazyAll.Value;

    private static ImmutableArray<MetadataReference> Build()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        builder.AddRange(Basic.Reference.Assemblies.Net100.References.All);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var reference in builder)
        {
            if (reference is PortableExecutableReference { FilePath: { } path })
            {
                seen.Add(Path.GetFileNameWithoutExtension(path));
            }

            if (reference.Display is { } display)
            {
                seen.Add(Path.GetFileNameWithoutExtension(display));
            }
        }

        // ASP.NET Core: every assembly of the shared framework this process runs on.
        var aspNetCoreDirectory = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly.Location)!;
        foreach (var file in Directory.EnumerateFiles(aspNetCoreDirectory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            AddFile(file);
        }

        // EF Core, Dapper, FluentValidation, JWT bearer authentication: the package assemblies next to the test assembly.
        foreach (var assembly in new[]
                 {
                     typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly,
                     typeof(Microsoft.EntityFrameworkCore.IndexAttribute).Assembly,
                     typeof(Microsoft.EntityFrameworkCore.RelationalQueryableExtensions).Assembly,
                     typeof(Microsoft.EntityFrameworkCore.ProxiesExtensions).Assembly,
                     typeof(Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions).Assembly,
                     typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly,
                     typeof(Dapper.SqlMapper).Assembly,
                     typeof(FluentValidation.AbstractValidator<>).Assembly,
                     typeof(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions).Assembly,
                     typeof(Microsoft.IdentityModel.Tokens.TokenValidationParameters).Assembly,
                     typeof(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken).Assembly,
                     typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityToken).Assembly,
                     typeof(Microsoft.IdentityModel.Logging.LogHelper).Assembly,
                     typeof(Microsoft.IdentityModel.Abstractions.IIdentityLogger).Assembly,
                     typeof(Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration).Assembly,
                     typeof(Microsoft.IdentityModel.Protocols.IConfigurationManager<>).Assembly,
                 })
        {
            AddFile(assembly.Location);
        }

        return builder.ToImmutable();

        void AddFile(string file)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!seen.Add(name) || !IsManagedAssembly(file))
            {
                return;
            }

            builder.Add(MetadataReference.CreateFromFile(file));
        }
    }

    private static bool IsManagedAssembly(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
