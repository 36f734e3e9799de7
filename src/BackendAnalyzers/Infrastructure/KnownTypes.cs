using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>
    /// The framework symbols the rules compare against, resolved lazily and at most once per compilation.
    /// One instance is created in each analyzer's compilation-start action; it is the only place that calls
    /// <see cref="Compilation.GetTypeByMetadataName"/>.
    /// </summary>
    internal sealed class KnownTypes
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _cache = new ConcurrentDictionary<string, INamedTypeSymbol?>();
        private readonly System.Func<string, INamedTypeSymbol?> _resolve;

        public KnownTypes(Compilation compilation)
        {
            _compilation = compilation;
#pragma warning disable RS0030 // The one place that resolves types by metadata name.
            _resolve = name => compilation.GetTypeByMetadataName(name);
#pragma warning restore RS0030
        }

        public Compilation Compilation => _compilation;

        public INamedTypeSymbol? Get(string metadataName) => _cache.GetOrAdd(metadataName, _resolve);

        // System
        public INamedTypeSymbol? Task => Get("System.Threading.Tasks.Task");
        public INamedTypeSymbol? TaskOfT => Get("System.Threading.Tasks.Task`1");
        public INamedTypeSymbol? ValueTask => Get("System.Threading.Tasks.ValueTask");
        public INamedTypeSymbol? ValueTaskOfT => Get("System.Threading.Tasks.ValueTask`1");
        public INamedTypeSymbol? Parallel => Get("System.Threading.Tasks.Parallel");
        public INamedTypeSymbol? CancellationToken => Get("System.Threading.CancellationToken");
        public INamedTypeSymbol? Enumerable => Get("System.Linq.Enumerable");
        public INamedTypeSymbol? Queryable => Get("System.Linq.Queryable");
        public INamedTypeSymbol? AsyncEnumerable => Get("System.Linq.AsyncEnumerable");
        public INamedTypeSymbol? IQueryable => Get("System.Linq.IQueryable");
        public INamedTypeSymbol? IQueryableOfT => Get("System.Linq.IQueryable`1");
        public INamedTypeSymbol? IEnumerableOfT => Get("System.Collections.Generic.IEnumerable`1");
        public INamedTypeSymbol? IEnumerable => Get("System.Collections.IEnumerable");
        public INamedTypeSymbol? IAsyncEnumerableOfT => Get("System.Collections.Generic.IAsyncEnumerable`1");
        public INamedTypeSymbol? ListOfT => Get("System.Collections.Generic.List`1");
        public INamedTypeSymbol? Array => Get("System.Array");
        public INamedTypeSymbol? KeyAttribute => Get("System.ComponentModel.DataAnnotations.KeyAttribute");
        public INamedTypeSymbol? ExpressionOfT => Get("System.Linq.Expressions.Expression`1");
        public INamedTypeSymbol? ChannelReaderOfT => Get("System.Threading.Channels.ChannelReader`1");
        public INamedTypeSymbol? BlockingCollectionOfT => Get("System.Collections.Concurrent.BlockingCollection`1");

        // ADO.NET and Dapper
        public INamedTypeSymbol? DbCommand => Get("System.Data.Common.DbCommand");
        public INamedTypeSymbol? IDbCommand => Get("System.Data.IDbCommand");
        public INamedTypeSymbol? DbDataAdapter => Get("System.Data.Common.DbDataAdapter");
        public INamedTypeSymbol? DapperSqlMapper => Get("Dapper.SqlMapper");

        // EF Core
        public INamedTypeSymbol? DbContext => Get("Microsoft.EntityFrameworkCore.DbContext");
        public INamedTypeSymbol? DbSetOfT => Get("Microsoft.EntityFrameworkCore.DbSet`1");
        public INamedTypeSymbol? EntityFrameworkQueryableExtensions => Get("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions");
        public INamedTypeSymbol? RelationalQueryableExtensions => Get("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");
        public INamedTypeSymbol? RelationalDatabaseFacadeExtensions => Get("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions");
        public INamedTypeSymbol? DatabaseFacade => Get("Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade");
        public INamedTypeSymbol? NavigationEntry => Get("Microsoft.EntityFrameworkCore.ChangeTracking.NavigationEntry");
        public INamedTypeSymbol? EntityEntry => Get("Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry");
        public INamedTypeSymbol? DbUpdateException => Get("Microsoft.EntityFrameworkCore.DbUpdateException");
        public INamedTypeSymbol? IndexAttribute => Get("Microsoft.EntityFrameworkCore.IndexAttribute");
        public INamedTypeSymbol? NotMappedAttribute => Get("System.ComponentModel.DataAnnotations.Schema.NotMappedAttribute");
        public INamedTypeSymbol? ModelBuilder => Get("Microsoft.EntityFrameworkCore.ModelBuilder");
        public INamedTypeSymbol? IEntityTypeConfigurationOfT => Get("Microsoft.EntityFrameworkCore.IEntityTypeConfiguration`1");

        // ASP.NET Core MVC
        public INamedTypeSymbol? ControllerBase => Get("Microsoft.AspNetCore.Mvc.ControllerBase");
        public INamedTypeSymbol? ApiControllerAttribute => Get("Microsoft.AspNetCore.Mvc.ApiControllerAttribute");
        public INamedTypeSymbol? ControllerAttribute => Get("Microsoft.AspNetCore.Mvc.ControllerAttribute");
        public INamedTypeSymbol? NonControllerAttribute => Get("Microsoft.AspNetCore.Mvc.NonControllerAttribute");
        public INamedTypeSymbol? NonActionAttribute => Get("Microsoft.AspNetCore.Mvc.NonActionAttribute");
        public INamedTypeSymbol? HttpMethodAttribute => Get("Microsoft.AspNetCore.Mvc.Routing.HttpMethodAttribute");
        public INamedTypeSymbol? AcceptVerbsAttribute => Get("Microsoft.AspNetCore.Mvc.AcceptVerbsAttribute");
        public INamedTypeSymbol? RouteAttribute => Get("Microsoft.AspNetCore.Mvc.RouteAttribute");
        public INamedTypeSymbol? FromBodyAttribute => Get("Microsoft.AspNetCore.Mvc.FromBodyAttribute");
        public INamedTypeSymbol? FromFormAttribute => Get("Microsoft.AspNetCore.Mvc.FromFormAttribute");
        public INamedTypeSymbol? FromQueryAttribute => Get("Microsoft.AspNetCore.Mvc.FromQueryAttribute");
        public INamedTypeSymbol? FromRouteAttribute => Get("Microsoft.AspNetCore.Mvc.FromRouteAttribute");
        public INamedTypeSymbol? FromHeaderAttribute => Get("Microsoft.AspNetCore.Mvc.FromHeaderAttribute");
        public INamedTypeSymbol? FromServicesAttribute => Get("Microsoft.AspNetCore.Mvc.FromServicesAttribute");
        public INamedTypeSymbol? FromKeyedServicesAttribute => Get("Microsoft.Extensions.DependencyInjection.FromKeyedServicesAttribute");
        public INamedTypeSymbol? ActionResultOfT => Get("Microsoft.AspNetCore.Mvc.ActionResult`1");
        public INamedTypeSymbol? IActionResult => Get("Microsoft.AspNetCore.Mvc.IActionResult");
        public INamedTypeSymbol? ObjectResult => Get("Microsoft.AspNetCore.Mvc.ObjectResult");
        public INamedTypeSymbol? JsonResult => Get("Microsoft.AspNetCore.Mvc.JsonResult");

        // ASP.NET Core HTTP and minimal APIs
        public INamedTypeSymbol? EndpointRouteBuilderExtensions => Get("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
        public INamedTypeSymbol? IEndpointRouteBuilder => Get("Microsoft.AspNetCore.Routing.IEndpointRouteBuilder");
        public INamedTypeSymbol? RouteGroupBuilder => Get("Microsoft.AspNetCore.Routing.RouteGroupBuilder");
        public INamedTypeSymbol? AsParametersAttribute => Get("Microsoft.AspNetCore.Http.AsParametersAttribute");
        public INamedTypeSymbol? HttpContext => Get("Microsoft.AspNetCore.Http.HttpContext");
        public INamedTypeSymbol? HttpRequest => Get("Microsoft.AspNetCore.Http.HttpRequest");
        public INamedTypeSymbol? HttpResponse => Get("Microsoft.AspNetCore.Http.HttpResponse");
        public INamedTypeSymbol? IFormFile => Get("Microsoft.AspNetCore.Http.IFormFile");
        public INamedTypeSymbol? IFormFileCollection => Get("Microsoft.AspNetCore.Http.IFormFileCollection");
        public INamedTypeSymbol? IFormCollection => Get("Microsoft.AspNetCore.Http.IFormCollection");
        public INamedTypeSymbol? IResult => Get("Microsoft.AspNetCore.Http.IResult");
        public INamedTypeSymbol? Results => Get("Microsoft.AspNetCore.Http.Results");
        public INamedTypeSymbol? TypedResults => Get("Microsoft.AspNetCore.Http.TypedResults");
        public INamedTypeSymbol? ClaimsPrincipal => Get("System.Security.Claims.ClaimsPrincipal");
        public INamedTypeSymbol? Stream => Get("System.IO.Stream");
        public INamedTypeSymbol? PipeReader => Get("System.IO.Pipelines.PipeReader");

        // Caching, HTTP clients, hosting and cryptography (the Integration rules)
        public INamedTypeSymbol? HttpClient => Get("System.Net.Http.HttpClient");
        public INamedTypeSymbol? HttpMessageInvoker => Get("System.Net.Http.HttpMessageInvoker");
        public INamedTypeSymbol? HttpResponseMessage => Get("System.Net.Http.HttpResponseMessage");
        public INamedTypeSymbol? HttpContent => Get("System.Net.Http.HttpContent");
        public INamedTypeSymbol? HttpClientJsonExtensions => Get("System.Net.Http.Json.HttpClientJsonExtensions");
        public INamedTypeSymbol? HttpContentJsonExtensions => Get("System.Net.Http.Json.HttpContentJsonExtensions");
        public INamedTypeSymbol? IHttpClientFactory => Get("System.Net.Http.IHttpClientFactory");
        public INamedTypeSymbol? IHostedService => Get("Microsoft.Extensions.Hosting.IHostedService");
        public INamedTypeSymbol? BackgroundService => Get("Microsoft.Extensions.Hosting.BackgroundService");
        public INamedTypeSymbol? ServiceCollectionServiceExtensions => Get("Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions");
        public INamedTypeSymbol? ServiceCollectionDescriptorExtensions => Get("Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions");
        public INamedTypeSymbol? ServiceDescriptor => Get("Microsoft.Extensions.DependencyInjection.ServiceDescriptor");
        public INamedTypeSymbol? IMemoryCache => Get("Microsoft.Extensions.Caching.Memory.IMemoryCache");
        public INamedTypeSymbol? MemoryCacheExtensions => Get("Microsoft.Extensions.Caching.Memory.CacheExtensions");
        public INamedTypeSymbol? CacheEntryExtensions => Get("Microsoft.Extensions.Caching.Memory.CacheEntryExtensions");
        public INamedTypeSymbol? MemoryCacheEntryOptions => Get("Microsoft.Extensions.Caching.Memory.MemoryCacheEntryOptions");
        public INamedTypeSymbol? MemoryCacheEntryExtensions => Get("Microsoft.Extensions.Caching.Memory.MemoryCacheEntryExtensions");
        public INamedTypeSymbol? MemoryCacheOptions => Get("Microsoft.Extensions.Caching.Memory.MemoryCacheOptions");
        public INamedTypeSymbol? IDistributedCache => Get("Microsoft.Extensions.Caching.Distributed.IDistributedCache");
        public INamedTypeSymbol? DistributedCacheExtensions => Get("Microsoft.Extensions.Caching.Distributed.DistributedCacheExtensions");
        public INamedTypeSymbol? DistributedCacheEntryOptions => Get("Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions");
        public INamedTypeSymbol? DistributedCacheEntryExtensions => Get("Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryExtensions");
        public INamedTypeSymbol? SqlServerCache => Get("Microsoft.Extensions.Caching.SqlServer.SqlServerCache");
        public INamedTypeSymbol? HashAlgorithm => Get("System.Security.Cryptography.HashAlgorithm");
        public INamedTypeSymbol? Hmac => Get("System.Security.Cryptography.HMAC");
        public INamedTypeSymbol? CryptographicOperations => Get("System.Security.Cryptography.CryptographicOperations");
        public INamedTypeSymbol? Convert => Get("System.Convert");
        public INamedTypeSymbol? BitConverter => Get("System.BitConverter");
        public INamedTypeSymbol? MemoryExtensions => Get("System.MemoryExtensions");
        public INamedTypeSymbol? WebEncoders => Get("Microsoft.AspNetCore.WebUtilities.WebEncoders");
        public INamedTypeSymbol? Base64Url => Get("System.Buffers.Text.Base64Url");

        // Security (the BA5xxx rules)
        public INamedTypeSymbol? StringBuilder => Get("System.Text.StringBuilder");
        public INamedTypeSymbol? Encoding => Get("System.Text.Encoding");
        public INamedTypeSymbol? DapperCommandDefinition => Get("Dapper.CommandDefinition");
        public INamedTypeSymbol? IConfiguration => Get("Microsoft.Extensions.Configuration.IConfiguration");
        public INamedTypeSymbol? SymmetricSecurityKey => Get("Microsoft.IdentityModel.Tokens.SymmetricSecurityKey");
        public INamedTypeSymbol? TokenValidationParameters => Get("Microsoft.IdentityModel.Tokens.TokenValidationParameters");
        public INamedTypeSymbol? SecurityToken => Get("Microsoft.IdentityModel.Tokens.SecurityToken");
        public INamedTypeSymbol? JwtBearerOptions => Get("Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions");
        public INamedTypeSymbol? HostEnvironmentEnvExtensions => Get("Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions");
        public INamedTypeSymbol? CorsPolicyBuilder => Get("Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder");
        public INamedTypeSymbol? KeyedHashAlgorithm => Get("System.Security.Cryptography.KeyedHashAlgorithm");
        public INamedTypeSymbol? MD5 => Get("System.Security.Cryptography.MD5");
        public INamedTypeSymbol? SHA1 => Get("System.Security.Cryptography.SHA1");
        public INamedTypeSymbol? SHA256 => Get("System.Security.Cryptography.SHA256");
        public INamedTypeSymbol? SHA384 => Get("System.Security.Cryptography.SHA384");
        public INamedTypeSymbol? SHA512 => Get("System.Security.Cryptography.SHA512");
        public INamedTypeSymbol? LoggerExtensions => Get("Microsoft.Extensions.Logging.LoggerExtensions");
        public INamedTypeSymbol? ILogger => Get("Microsoft.Extensions.Logging.ILogger");
        public INamedTypeSymbol? AuthorizeAttribute => Get("Microsoft.AspNetCore.Authorization.AuthorizeAttribute");
        public INamedTypeSymbol? IAuthorizeData => Get("Microsoft.AspNetCore.Authorization.IAuthorizeData");
        public INamedTypeSymbol? IAllowAnonymous => Get("Microsoft.AspNetCore.Authorization.IAllowAnonymous");
        public INamedTypeSymbol? AuthorizeFilter => Get("Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter");
        public INamedTypeSymbol? AuthorizationEndpointConventionBuilderExtensions => Get("Microsoft.AspNetCore.Builder.AuthorizationEndpointConventionBuilderExtensions");
        // Error handling (the BA2xxx rules)
        public INamedTypeSymbol? Exception => Get("System.Exception");
        public INamedTypeSymbol? SystemException => Get("System.SystemException");
        public INamedTypeSymbol? OperationCanceledException => Get("System.OperationCanceledException");
        public INamedTypeSymbol? EventArgs => Get("System.EventArgs");
        public INamedTypeSymbol? Console => Get("System.Console");
        public INamedTypeSymbol? Debug => Get("System.Diagnostics.Debug");
        public INamedTypeSymbol? Trace => Get("System.Diagnostics.Trace");
        public INamedTypeSymbol? TaskFactory => Get("System.Threading.Tasks.TaskFactory");
        public INamedTypeSymbol? TaskAwaiter => Get("System.Runtime.CompilerServices.TaskAwaiter");
        public INamedTypeSymbol? TaskAwaiterOfT => Get("System.Runtime.CompilerServices.TaskAwaiter`1");
        public INamedTypeSymbol? ValueTaskAwaiter => Get("System.Runtime.CompilerServices.ValueTaskAwaiter");
        public INamedTypeSymbol? ValueTaskAwaiterOfT => Get("System.Runtime.CompilerServices.ValueTaskAwaiter`1");
        public INamedTypeSymbol? ConfiguredTaskAwaiter => Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter");
        public INamedTypeSymbol? ConfiguredTaskAwaiterOfT => Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter");
        public INamedTypeSymbol? ConfiguredValueTaskAwaiter => Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter");
        public INamedTypeSymbol? ConfiguredValueTaskAwaiterOfT => Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter");
        public INamedTypeSymbol? ChannelWriterOfT => Get("System.Threading.Channels.ChannelWriter`1");
        public INamedTypeSymbol? IHostEnvironment => Get("Microsoft.Extensions.Hosting.IHostEnvironment");
        public INamedTypeSymbol? IWebHostEnvironment => Get("Microsoft.AspNetCore.Hosting.IWebHostEnvironment");
        public INamedTypeSymbol? IServiceProvider => Get("System.IServiceProvider");
        public INamedTypeSymbol? IServiceCollection => Get("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        public INamedTypeSymbol? IServiceScopeFactory => Get("Microsoft.Extensions.DependencyInjection.IServiceScopeFactory");
        public INamedTypeSymbol? ServiceProviderServiceExtensions => Get("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions");
        public INamedTypeSymbol? IHostApplicationBuilder => Get("Microsoft.Extensions.Hosting.IHostApplicationBuilder");
        public INamedTypeSymbol? WebApplication => Get("Microsoft.AspNetCore.Builder.WebApplication");
        public INamedTypeSymbol? WebApplicationBuilder => Get("Microsoft.AspNetCore.Builder.WebApplicationBuilder");
        public INamedTypeSymbol? IApplicationBuilder => Get("Microsoft.AspNetCore.Builder.IApplicationBuilder");
        public INamedTypeSymbol? RequestDelegate => Get("Microsoft.AspNetCore.Http.RequestDelegate");
        public INamedTypeSymbol? IMiddleware => Get("Microsoft.AspNetCore.Http.IMiddleware");
        public INamedTypeSymbol? IEndpointFilter => Get("Microsoft.AspNetCore.Http.IEndpointFilter");
        public INamedTypeSymbol? EndpointFilterInvocationContext => Get("Microsoft.AspNetCore.Http.EndpointFilterInvocationContext");
        public INamedTypeSymbol? IFilterMetadata => Get("Microsoft.AspNetCore.Mvc.Filters.IFilterMetadata");
        public INamedTypeSymbol? IExceptionFilter => Get("Microsoft.AspNetCore.Mvc.Filters.IExceptionFilter");
        public INamedTypeSymbol? IAsyncExceptionFilter => Get("Microsoft.AspNetCore.Mvc.Filters.IAsyncExceptionFilter");
        public INamedTypeSymbol? FilterCollection => Get("Microsoft.AspNetCore.Mvc.Filters.FilterCollection");
        public INamedTypeSymbol? IExceptionHandler => Get("Microsoft.AspNetCore.Diagnostics.IExceptionHandler");
        public INamedTypeSymbol? ExceptionHandlerExtensions => Get("Microsoft.AspNetCore.Builder.ExceptionHandlerExtensions");
        public INamedTypeSymbol? ExceptionHandlerServiceCollectionExtensions => Get("Microsoft.Extensions.DependencyInjection.ExceptionHandlerServiceCollectionExtensions");
        public INamedTypeSymbol? StatusCodePagesExtensions => Get("Microsoft.AspNetCore.Builder.StatusCodePagesExtensions");
        public INamedTypeSymbol? ProblemDetailsServiceCollectionExtensions => Get("Microsoft.Extensions.DependencyInjection.ProblemDetailsServiceCollectionExtensions");
        public INamedTypeSymbol? UseMiddlewareExtensions => Get("Microsoft.AspNetCore.Builder.UseMiddlewareExtensions");
        public INamedTypeSymbol? IProblemDetailsService => Get("Microsoft.AspNetCore.Http.IProblemDetailsService");
        public INamedTypeSymbol? HttpResponseWritingExtensions => Get("Microsoft.AspNetCore.Http.HttpResponseWritingExtensions");
        public INamedTypeSymbol? HttpResponseJsonExtensions => Get("Microsoft.AspNetCore.Http.HttpResponseJsonExtensions");
        public INamedTypeSymbol? ContentResult => Get("Microsoft.AspNetCore.Mvc.ContentResult");
        public INamedTypeSymbol? OkResult => Get("Microsoft.AspNetCore.Mvc.OkResult");
        public INamedTypeSymbol? OkObjectResult => Get("Microsoft.AspNetCore.Mvc.OkObjectResult");
        public INamedTypeSymbol? NoContentResult => Get("Microsoft.AspNetCore.Mvc.NoContentResult");

        // Validation (the BA1xxx rules)
        public INamedTypeSymbol? ValidationAttribute => Get("System.ComponentModel.DataAnnotations.ValidationAttribute");
        public INamedTypeSymbol? IValidatableObject => Get("System.ComponentModel.DataAnnotations.IValidatableObject");
        public INamedTypeSymbol? FluentValidatorOfT => Get("FluentValidation.IValidator`1");
        public INamedTypeSymbol? ModelStateDictionary => Get("Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary");
        public INamedTypeSymbol? ActionResult => Get("Microsoft.AspNetCore.Mvc.ActionResult");

        public bool HasEntityFramework => DbContext is not null;

        public bool HasAspNetCore => ControllerBase is not null || EndpointRouteBuilderExtensions is not null;
    }
}
