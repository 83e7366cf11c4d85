using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenRM.Tests.Serving;

/// <summary>A scripted OpenAI-compatible endpoint on loopback: fails the first requests with 503, then answers a fixed reply, recording each Authorization header.</summary>
internal sealed class StubEndpoint : IAsyncDisposable
{
    public const string Reply = "The answer is [[A]]";
    readonly WebApplication app;
    int calls;

    StubEndpoint(WebApplication app) => this.app = app;

    public ConcurrentQueue<string> Authorizations { get; } = new();

    public Uri V1 { get; private set; } = null!;

    public static async Task<StubEndpoint> StartAsync(int failFirst, bool withLogProbs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubEndpoint(app);
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            stub.Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            if (Interlocked.Increment(ref stub.calls) <= failFirst)
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("{\"error\": {\"message\": \"warming up\"}}");
                return;
            }
            var choice = new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Reply },
                ["finish_reason"] = "stop",
                ["logprobs"] = withLogProbs ? new JsonObject { ["content"] = new JsonArray() } : null,
            };
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "chatcmpl-stub",
                ["object"] = "chat.completion",
                ["created"] = 0,
                ["model"] = "stub-model-2025",
                ["choices"] = new JsonArray(choice),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
            });
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.V1 = new Uri(new Uri(address), "/v1/");
        return stub;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
