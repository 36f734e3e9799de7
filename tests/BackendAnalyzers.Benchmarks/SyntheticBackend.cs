using System.Text;

namespace BackendAnalyzers.Benchmarks;

/// <summary>
/// Generates a deterministic synthetic ASP.NET Core + EF Core backend: per module an entity with a child entity,
/// its fluent configuration, DTOs with validation, a repository behind an interface, a service with caching and
/// logging, an [ApiController] and a minimal API group. One module in ten (1, 11, 21, ...) carries the problems the rules look for
/// (a query in a loop, an unbounded list endpoint), so the analyzers do the work they do on real code.
/// </summary>
public static class SyntheticBackend
{
    public sealed record SourceFile(string Path, string Text);

    /// <summary>Modules are added until the generated code reaches <paramref name="targetLines"/> lines.</summary>
    public static IReadOnlyList<SourceFile> Generate(int targetLines)
    {
        var files = new List<SourceFile>();
        var lines = 0;
        var module = 0;
        while (lines < targetLines)
        {
            foreach (var file in Module(module))
            {
                files.Add(file);
                lines += CountLines(file.Text);
            }

            module++;
        }

        var context = DbContextFile(module);
        files.Add(context);
        files.Add(ProgramFile(module));
        return files;
    }

    public static int CountLines(string text)
    {
        var count = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private static IEnumerable<SourceFile> Module(int i)
    {
        var problem = i % 10 == 1;
        var ns = $"Synthetic.Module{i}";
        yield return new SourceFile($"Module{i}/Order{i}.cs", $$"""
            using System;
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;
            using Microsoft.EntityFrameworkCore;

            namespace {{ns}};

            [Index(nameof(CustomerEmail))]
            [Index(nameof(CreatedAt))]
            public class Order{{i}}
            {
                public int Id { get; set; }
                [MaxLength(200)]
                public string CustomerName { get; set; } = "";
                [MaxLength(320)]
                public string CustomerEmail { get; set; } = "";
                public DateTime CreatedAt { get; set; }
                public DateTime? ShippedAt { get; set; }
                public decimal Total { get; set; }
                public int Status { get; set; }
                public string? Notes { get; set; }
                public int Priority { get; set; }
                public bool IsArchived { get; set; }
                public Guid ExternalId { get; set; }
                public List<OrderLine{{i}}> Lines { get; set; } = new();
            }

            public class OrderLine{{i}}
            {
                public int Id { get; set; }
                public int Order{{i}}Id { get; set; }
                public Order{{i}}? Order { get; set; }
                [MaxLength(100)]
                public string Sku { get; set; } = "";
                public int Quantity { get; set; }
                public decimal UnitPrice { get; set; }
            }
            """);

        yield return new SourceFile($"Module{i}/Order{i}Configuration.cs", $$"""
            using Microsoft.EntityFrameworkCore;
            using Microsoft.EntityFrameworkCore.Metadata.Builders;

            namespace {{ns}};

            public sealed class Order{{i}}Configuration : IEntityTypeConfiguration<Order{{i}}>
            {
                public void Configure(EntityTypeBuilder<Order{{i}}> builder)
                {
                    builder.HasKey(o => o.Id);
                    builder.HasIndex(o => o.Status);
                    builder.HasIndex(o => new { o.Priority, o.CreatedAt });
                    builder.Property(o => o.CustomerName).HasMaxLength(200).IsRequired();
                    builder.Property(o => o.Total).HasPrecision(18, 2);
                    builder.HasMany(o => o.Lines).WithOne(l => l.Order).HasForeignKey(l => l.Order{{i}}Id);
                }
            }

            public sealed class OrderLine{{i}}Configuration : IEntityTypeConfiguration<OrderLine{{i}}>
            {
                public void Configure(EntityTypeBuilder<OrderLine{{i}}> builder)
                {
                    builder.HasKey(l => l.Id);
                    builder.HasIndex(l => l.Sku);
                    builder.Property(l => l.UnitPrice).HasPrecision(18, 2);
                }
            }
            """);

        yield return new SourceFile($"Module{i}/Order{i}Dtos.cs", $$"""
            using System;
            using System.Collections.Generic;
            using System.ComponentModel.DataAnnotations;

            namespace {{ns}};

            public sealed record Order{{i}}Summary(int Id, string CustomerName, decimal Total, DateTime CreatedAt);

            public sealed record Order{{i}}Details(int Id, string CustomerName, string CustomerEmail, decimal Total, int Status, IReadOnlyList<OrderLine{{i}}Dto> Lines);

            public sealed record OrderLine{{i}}Dto(string Sku, int Quantity, decimal UnitPrice);

            public sealed class CreateOrder{{i}}Request
            {
                [Required, MaxLength(200)]
                public string CustomerName { get; set; } = "";

                [Required, EmailAddress]
                public string CustomerEmail { get; set; } = "";

                [Range(0, 10)]
                public int Priority { get; set; }

                [MinLength(1)]
                public List<CreateOrderLine{{i}}Request> Lines { get; set; } = new();
            }

            public sealed class CreateOrderLine{{i}}Request
            {
                [Required, MaxLength(100)]
                public string Sku { get; set; } = "";

                [Range(1, 1000)]
                public int Quantity { get; set; }

                [Range(typeof(decimal), "0", "100000")]
                public decimal UnitPrice { get; set; }
            }

            public sealed record PagedResult{{i}}<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
            """);

        var nPlusOne = problem ? $$"""

                public async Task<IReadOnlyList<string>> CustomerNamesAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
                {
                    var names = new List<string>();
                    foreach (var id in ids)
                    {
                        var order = await _db.Set<Order{{i}}>().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
                        names.Add(order?.CustomerName ?? "");
                    }

                    return names;
                }
            """ : "";

        yield return new SourceFile($"Module{i}/Order{i}Repository.cs", $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            using Synthetic;

            namespace {{ns}};

            public interface IOrder{{i}}Repository
            {
                Task<Order{{i}}?> GetAsync(int id, CancellationToken cancellationToken);
                Task<PagedResult{{i}}<Order{{i}}Summary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken);
                Task<IReadOnlyList<Order{{i}}Summary>> SearchAsync(string email, int take, CancellationToken cancellationToken);
                Task<int> CountOpenAsync(CancellationToken cancellationToken);
                Task AddAsync(Order{{i}} order, CancellationToken cancellationToken);
                Task<int> ArchiveOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken);
            }

            public sealed class Order{{i}}Repository : IOrder{{i}}Repository
            {
                private readonly SyntheticDbContext _db;

                public Order{{i}}Repository(SyntheticDbContext db)
                {
                    _db = db;
                }

                public Task<Order{{i}}?> GetAsync(int id, CancellationToken cancellationToken) =>
                    _db.Set<Order{{i}}>().Include(o => o.Lines).AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);

                public async Task<PagedResult{{i}}<Order{{i}}Summary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken)
                {
                    page = Math.Max(page, 1);
                    pageSize = Math.Clamp(pageSize, 1, 100);
                    var query = _db.Set<Order{{i}}>().AsNoTracking().Where(o => !o.IsArchived);
                    var total = await query.CountAsync(cancellationToken);
                    var items = await query
                        .OrderByDescending(o => o.CreatedAt)
                        .ThenBy(o => o.Id)
                        .Skip((page - 1) * pageSize)
                        .Take(pageSize)
                        .Select(o => new Order{{i}}Summary(o.Id, o.CustomerName, o.Total, o.CreatedAt))
                        .ToListAsync(cancellationToken);
                    return new PagedResult{{i}}<Order{{i}}Summary>(items, page, pageSize, total);
                }

                public async Task<IReadOnlyList<Order{{i}}Summary>> SearchAsync(string email, int take, CancellationToken cancellationToken)
                {
                    take = Math.Clamp(take, 1, 50);
                    return await _db.Set<Order{{i}}>()
                        .AsNoTracking()
                        .Where(o => o.CustomerEmail == email)
                        .OrderBy(o => o.Id)
                        .Take(take)
                        .Select(o => new Order{{i}}Summary(o.Id, o.CustomerName, o.Total, o.CreatedAt))
                        .ToListAsync(cancellationToken);
                }

                public Task<int> CountOpenAsync(CancellationToken cancellationToken) =>
                    _db.Set<Order{{i}}>().CountAsync(o => o.ShippedAt == null && !o.IsArchived, cancellationToken);

                public async Task AddAsync(Order{{i}} order, CancellationToken cancellationToken)
                {
                    _db.Add(order);
                    await _db.SaveChangesAsync(cancellationToken);
                }

                public Task<int> ArchiveOlderThanAsync(DateTime cutoff, CancellationToken cancellationToken) =>
                    _db.Set<Order{{i}}>().Where(o => o.CreatedAt < cutoff).ExecuteUpdateAsync(s => s.SetProperty(o => o.IsArchived, true), cancellationToken);
            {{nPlusOne}}
            }
            """);

        yield return new SourceFile($"Module{i}/Order{i}Service.cs", $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Caching.Memory;
            using Microsoft.Extensions.Logging;

            namespace {{ns}};

            public interface IOrder{{i}}Service
            {
                Task<Order{{i}}Details?> GetAsync(int id, CancellationToken cancellationToken);
                Task<PagedResult{{i}}<Order{{i}}Summary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken);
                Task<int> CreateAsync(CreateOrder{{i}}Request request, CancellationToken cancellationToken);
                decimal EstimateShipping(Order{{i}}Details order);
            }

            public sealed class Order{{i}}Service : IOrder{{i}}Service
            {
                private readonly IOrder{{i}}Repository _repository;
                private readonly IMemoryCache _cache;
                private readonly ILogger<Order{{i}}Service> _logger;

                public Order{{i}}Service(IOrder{{i}}Repository repository, IMemoryCache cache, ILogger<Order{{i}}Service> logger)
                {
                    _repository = repository;
                    _cache = cache;
                    _logger = logger;
                }

                public async Task<Order{{i}}Details?> GetAsync(int id, CancellationToken cancellationToken)
                {
                    var key = "order{{i}}:" + id;
                    if (_cache.TryGetValue(key, out Order{{i}}Details? cached))
                    {
                        return cached;
                    }

                    var order = await _repository.GetAsync(id, cancellationToken);
                    if (order is null)
                    {
                        return null;
                    }

                    var details = new Order{{i}}Details(
                        order.Id,
                        order.CustomerName,
                        order.CustomerEmail,
                        order.Total,
                        order.Status,
                        order.Lines.Select(l => new OrderLine{{i}}Dto(l.Sku, l.Quantity, l.UnitPrice)).ToList());
                    _cache.Set(key, details, TimeSpan.FromMinutes(5));
                    return details;
                }

                public Task<PagedResult{{i}}<Order{{i}}Summary>> ListAsync(int page, int pageSize, CancellationToken cancellationToken) =>
                    _repository.ListAsync(page, pageSize, cancellationToken);

                public async Task<int> CreateAsync(CreateOrder{{i}}Request request, CancellationToken cancellationToken)
                {
                    var order = new Order{{i}}
                    {
                        CustomerName = request.CustomerName,
                        CustomerEmail = request.CustomerEmail,
                        Priority = request.Priority,
                        CreatedAt = DateTime.UtcNow,
                        ExternalId = Guid.NewGuid(),
                    };

                    decimal total = 0;
                    foreach (var line in request.Lines)
                    {
                        order.Lines.Add(new OrderLine{{i}} { Sku = line.Sku, Quantity = line.Quantity, UnitPrice = line.UnitPrice });
                        total += line.Quantity * line.UnitPrice;
                    }

                    order.Total = total;
                    try
                    {
                        await _repository.AddAsync(order, cancellationToken);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Could not create order for {Email}", request.CustomerEmail);
                        throw;
                    }

                    return order.Id;
                }

                public decimal EstimateShipping(Order{{i}}Details order)
                {
                    var weight = 0m;
                    for (var index = 0; index < order.Lines.Count; index++)
                    {
                        var line = order.Lines[index];
                        weight += line.Quantity * (line.Sku.Length % 7 + 1) * 0.25m;
                    }

                    return weight switch
                    {
                        < 1m => 4.99m,
                        < 5m => 9.99m,
                        < 20m => 19.99m,
                        _ => 49.99m,
                    };
                }
            }
            """);

        var unbounded = problem ? $$"""

                [HttpGet("all")]
                public async Task<ActionResult<List<Order{{i}}>>> All(CancellationToken cancellationToken)
                {
                    return Ok(await _db.Set<Order{{i}}>().AsNoTracking().ToListAsync(cancellationToken));
                }
            """ : "";

        yield return new SourceFile($"Module{i}/Orders{i}Controller.cs", $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using System.Collections.Generic;
            using Microsoft.AspNetCore.Authorization;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.EntityFrameworkCore;
            using Synthetic;

            namespace {{ns}};

            [ApiController]
            [Authorize]
            [Route("api/v{{i}}/orders")]
            public sealed class Orders{{i}}Controller : ControllerBase
            {
                private readonly IOrder{{i}}Service _service;
                private readonly SyntheticDbContext _db;

                public Orders{{i}}Controller(IOrder{{i}}Service service, SyntheticDbContext db)
                {
                    _service = service;
                    _db = db;
                }

                [HttpGet]
                public async Task<ActionResult<PagedResult{{i}}<Order{{i}}Summary>>> List(int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
                {
                    return Ok(await _service.ListAsync(page, pageSize, cancellationToken));
                }

                [HttpGet("{id:int}")]
                public async Task<ActionResult<Order{{i}}Details>> Get(int id, CancellationToken cancellationToken)
                {
                    var order = await _service.GetAsync(id, cancellationToken);
                    return order is null ? NotFound() : Ok(order);
                }

                [HttpPost]
                [ProducesResponseType(StatusCodes.Status201Created)]
                public async Task<IActionResult> Create(CreateOrder{{i}}Request request, CancellationToken cancellationToken)
                {
                    var id = await _service.CreateAsync(request, cancellationToken);
                    return CreatedAtAction(nameof(Get), new { id }, new { id });
                }

                [HttpGet("{id:int}/shipping")]
                public async Task<ActionResult<decimal>> Shipping(int id, CancellationToken cancellationToken)
                {
                    var order = await _service.GetAsync(id, cancellationToken);
                    if (order is null)
                    {
                        return NotFound();
                    }

                    return _service.EstimateShipping(order);
                }
            {{unbounded}}
            }
            """);

        yield return new SourceFile($"Module{i}/Orders{i}Endpoints.cs", $$"""
            using System.Threading;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Routing;

            namespace {{ns}};

            public static class Orders{{i}}Endpoints
            {
                public static IEndpointRouteBuilder MapOrders{{i}}(this IEndpointRouteBuilder app)
                {
                    var group = app.MapGroup("/minimal/v{{i}}/orders").RequireAuthorization();
                    group.MapGet("/", async (IOrder{{i}}Service service, int page, int pageSize, CancellationToken cancellationToken) =>
                        TypedResults.Ok(await service.ListAsync(page, pageSize, cancellationToken)));
                    group.MapGet("/{id:int}", async (int id, IOrder{{i}}Service service, CancellationToken cancellationToken) =>
                        await service.GetAsync(id, cancellationToken) is { } order ? Results.Ok(order) : Results.NotFound());
                    group.MapPost("/", async (CreateOrder{{i}}Request request, IOrder{{i}}Service service, CancellationToken cancellationToken) =>
                    {
                        var id = await service.CreateAsync(request, cancellationToken);
                        return Results.Created($"/minimal/v{{i}}/orders/{id}", new { id });
                    });
                    return app;
                }
            }
            """);
    }

    private static SourceFile DbContextFile(int modules)
    {
        var text = new StringBuilder();
        text.AppendLine("using Microsoft.EntityFrameworkCore;");
        text.AppendLine();
        text.AppendLine("namespace Synthetic;");
        text.AppendLine();
        text.AppendLine("public sealed class SyntheticDbContext : DbContext");
        text.AppendLine("{");
        text.AppendLine("    public SyntheticDbContext(DbContextOptions<SyntheticDbContext> options) : base(options) { }");
        text.AppendLine();
        for (var i = 0; i < modules; i++)
        {
            text.AppendLine($"    public DbSet<Synthetic.Module{i}.Order{i}> Orders{i} => Set<Synthetic.Module{i}.Order{i}>();");
        }

        text.AppendLine();
        text.AppendLine("    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfigurationsFromAssembly(typeof(SyntheticDbContext).Assembly);");
        text.AppendLine("}");
        return new SourceFile("SyntheticDbContext.cs", text.ToString());
    }

    private static SourceFile ProgramFile(int modules)
    {
        var text = new StringBuilder();
        text.AppendLine("using Microsoft.AspNetCore.Builder;");
        text.AppendLine("using Microsoft.EntityFrameworkCore;");
        text.AppendLine("using Microsoft.Extensions.DependencyInjection;");
        text.AppendLine();
        text.AppendLine("var builder = WebApplication.CreateBuilder(args);");
        text.AppendLine("builder.Services.AddDbContext<Synthetic.SyntheticDbContext>(o => o.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));");
        text.AppendLine("builder.Services.AddMemoryCache();");
        text.AppendLine("builder.Services.AddProblemDetails();");
        text.AppendLine("builder.Services.AddControllers();");
        text.AppendLine("builder.Services.AddAuthorization();");
        for (var i = 0; i < modules; i++)
        {
            text.AppendLine($"builder.Services.AddScoped<Synthetic.Module{i}.IOrder{i}Repository, Synthetic.Module{i}.Order{i}Repository>();");
            text.AppendLine($"builder.Services.AddScoped<Synthetic.Module{i}.IOrder{i}Service, Synthetic.Module{i}.Order{i}Service>();");
        }

        text.AppendLine("var app = builder.Build();");
        text.AppendLine("app.UseExceptionHandler();");
        text.AppendLine("app.UseAuthorization();");
        text.AppendLine("app.MapControllers();");
        for (var i = 0; i < modules; i++)
        {
            text.AppendLine($"Synthetic.Module{i}.Orders{i}Endpoints.MapOrders{i}(app);");
        }

        text.AppendLine("app.Run();");
        return new SourceFile("Program.cs", text.ToString());
    }
}
