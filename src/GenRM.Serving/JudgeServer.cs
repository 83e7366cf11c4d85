using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GenRM.Serving;

/// <summary>
/// <c>genrm serve</c>: an ASP.NET Core minimal API on Kestrel over one <see cref="ServedModel"/>.
/// OpenAI's <c>GET /v1/models</c> and <c>POST /v1/chat/completions</c>,
/// <c>POST /v1/preference</c> (DESIGN.md), and the weight changes an engine that samples for
/// training takes: vLLM's <c>POST /v1/load_lora_adapter</c> and <c>/v1/unload_lora_adapter</c>, and
/// SGLang's <c>POST /update_weights_from_disk</c>. Every body is read by the server itself under
/// Kestrel's size and rate limits, so a malformed, oversized or slow request gets one JSON error
/// (4xx) and never reaches the model; the model runs on <see cref="InferenceWorker"/>'s one thread.
/// </summary>
public sealed class JudgeServer : IAsyncDisposable
{
    static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 32 };
    readonly WebApplication app;
    readonly InferenceWorker queue;
    readonly ServedModel model;
    readonly ServerConfig config;
    readonly long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    readonly TextWriter? log;

    JudgeServer(ServedModel model, ServerConfig config, ILoggerProvider? logger, TextWriter? log)
    {
        this.model = model;
        this.log = log;
        this.config = config.Validated();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logger is not null) builder.Logging.AddProvider(logger).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(this.config.Host), this.config.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = this.config.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = this.config.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = this.config.SlowClientGrace;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(this.config.MinBodyBytesPerSecond, this.config.SlowClientGrace);
        });
        app = builder.Build();
        queue = new InferenceWorker(model, this.config);
        app.Use(Errors);
        app.MapGet("/v1/models", () => Results.Json(OpenAiJson.Models(model, created)));
        app.MapGet("/v1/models/{id}", (string id) => OpenAiJson.Models(model, created)["data"]!.AsArray().FirstOrDefault(m => m!["id"]!.GetValue<string>() == id) is JsonNode card
            ? Results.Json(card)
            : throw new ApiException(404, "not_found_error", $"The model '{id}' does not exist; this server serves '{model.Id}'.", "model"));
        app.MapPost("/v1/chat/completions", ChatCompletions);
        app.MapPost("/v1/preference", Preference);
        app.MapPost("/v1/load_lora_adapter", (HttpContext context) => ChangeWeights(context, body =>
        {
            var (name, path) = RequestParser.LoraAdapter(body, load: true);
            return () => model.LoadAdapter(name, path!);
        }));
        app.MapPost("/v1/unload_lora_adapter", (HttpContext context) => ChangeWeights(context, body =>
        {
            var (name, _) = RequestParser.LoraAdapter(body, load: false);
            return () => model.UnloadAdapter(name);
        }));
        app.MapPost("/update_weights_from_disk", (HttpContext context) => ChangeWeights(context, body =>
        {
            string folder = RequestParser.WeightsFolder(body);
            return () => model.ReloadWeights(folder);
        }, sglang: true));
        app.MapFallback((HttpContext context) =>
            throw new ApiException(404, "not_found_error", $"no endpoint {context.Request.Method} {context.Request.Path}; this server has GET /v1/models, POST /v1/chat/completions, POST /v1/preference, " +
                "POST /v1/load_lora_adapter, POST /v1/unload_lora_adapter and POST /update_weights_from_disk."));
    }

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:8000</c> (the real port when 0 was asked).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Forward passes run and requests they served (more requests than passes means batching happened).</summary>
    public (long Passes, long Requests) Batching => queue.Batching;

    /// <summary>
    /// Starts serving <paramref name="model"/>; the server owns neither the model nor its disposal.
    /// Each change of the weights served is written as a line to <paramref name="log"/>.
    /// </summary>
    /// <exception cref="BadInputException">The address cannot be bound (e.g. the port is taken).</exception>
    public static async Task<JudgeServer> StartAsync(ServedModel model, ServerConfig config, ILoggerProvider? logger = null, TextWriter? log = null, CancellationToken cancellation = default)
    {
        var server = new JudgeServer(model, config, logger, log);
        try
        {
            await server.app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new BadInputException($"cannot listen on {config.Host}:{config.Port}: {e.Message}", e);
        }
        string address = server.app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    async Task ChatCompletions(HttpContext context)
    {
        var request = RequestParser.Chat(await ReadBody(context).ConfigureAwait(false), model, config);
        var choices = await Run(context, token => queue.Chat(request, token)).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(OpenAiJson.ChatCompletion($"chatcmpl-{Guid.NewGuid():N}", model, request, choices, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), context.RequestAborted).ConfigureAwait(false);
    }

    async Task Preference(HttpContext context)
    {
        var request = RequestParser.Preference(await ReadBody(context).ConfigureAwait(false), model);
        var judgement = await Run(context, token => queue.Judge(request.Item, token)).ConfigureAwait(false);
        await context.Response.WriteAsJsonAsync(OpenAiJson.Preference(judgement), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// A weight change, run on the model's thread between batches. The reply is vLLM's plain text
    /// (<c>Success: LoRA adapter 'x' added successfully.</c>), or with <paramref name="sglang"/> SGLang's
    /// <c>{"success": true, "message": ...}</c>; errors are OpenAI's error object, as for every route.
    /// </summary>
    async Task ChangeWeights(HttpContext context, Func<JsonNode?, Func<string>> parse, bool sglang = false)
    {
        Func<string> change = parse(await ReadBody(context).ConfigureAwait(false));
        string reply = await Run(context, token => queue.ChangeWeights(change, token)).ConfigureAwait(false);
        log?.WriteLine($"{context.Request.Path}: {reply}");
        if (sglang)
            await context.Response.WriteAsJsonAsync(new JsonObject { ["success"] = true, ["message"] = reply }, context.RequestAborted).ConfigureAwait(false);
        else
            await context.Response.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Waits for the model's answer, at most <see cref="ServerConfig.RequestTimeout"/>.</summary>
    async Task<T> Run<T>(HttpContext context, Func<CancellationToken, Task<T>> work)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(config.RequestTimeout);
        try
        {
            return await work(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new ApiException(503, "timeout", $"the model did not answer within {config.RequestTimeout.TotalSeconds:0.#} s (server busy); retry later.");
        }
    }

    static async Task<JsonNode?> ReadBody(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, documentOptions: BodyOptions, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid($"the body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Turns every failure into OpenAI's error object: the request's own faults as 4xx with their message, anything else as 500.</summary>
    async Task Errors(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            ApiException error = e switch
            {
                ApiException api => api,
                Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 } => new ApiException(413, "invalid_request_error", $"the request body is larger than the server's limit of {config.MaxBodyBytes} bytes."),
                Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 408 } => new ApiException(408, "invalid_request_error", "the request body arrived too slowly."),
                Microsoft.AspNetCore.Http.BadHttpRequestException bad => new ApiException(bad.StatusCode, "invalid_request_error", bad.Message),
                _ => new ApiException(500, "server_error", $"internal error: {e.GetType().Name}: {e.Message}"),
            };
            context.Response.StatusCode = error.Status;
            await context.Response.WriteAsJsonAsync(OpenAiJson.Error(error), context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the server is told to stop: Ctrl+C or SIGTERM (the host's console lifetime), or <paramref name="cancellation"/>.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellation = default) => app.WaitForShutdownAsync(cancellation);

    /// <summary>Stops accepting requests, lets those in flight finish (up to the token), then stops the model's thread.</summary>
    public async Task StopAsync(CancellationToken cancellation = default) => await app.StopAsync(cancellation).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync().ConfigureAwait(false);
        queue.Dispose();
    }
}
