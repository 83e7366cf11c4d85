using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.MiniWorld;
using GenRM.Serving;
using static TorchSharp.torch;

namespace GenRM.Tests.Serving;

/// <summary>
/// The committed MiniWorld smoke model served in-process on a free loopback port (zero-shot
/// judge), beside the same folder loaded for in-process reference numbers.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public static string SmokeModel => MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, "smoke");

    /// <summary>Small limits, so the oversized and slow cases are quick.</summary>
    public static ServerConfig Config { get; } = new() { Port = 0, MaxBodyBytes = 64 * 1024, SlowClientGrace = TimeSpan.FromSeconds(2), RequestTimeout = TimeSpan.FromSeconds(60) };

    public ServedModel Served { get; private set; } = null!;
    public JudgeServer Server { get; private set; } = null!;
    public JudgeModel Reference { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The OpenAI base URL, <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri V1 => new(Server.Address, "/v1/");

    public async Task InitializeAsync()
    {
        Served = ServedModel.Load(SmokeModel, null, null, CPU);
        Reference = JudgeModel.Load(SmokeModel, CPU);
        Server = await JudgeServer.StartAsync(Served, Config);
        Http = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(120) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
        Served?.Dispose();
        Reference?.Dispose();
    }

    /// <summary>POSTs <paramref name="body"/> as JSON; returns the status and the parsed answer.</summary>
    public async Task<(int Status, JsonNode? Json)> Post(string path, JsonNode body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>
    /// POSTs raw text, whatever it is. With <paramref name="expectContinue"/> the client waits for
    /// the server's go-ahead before sending the body (as curl does for large bodies), so a body the
    /// server refuses by its length is answered instead of cut off mid-upload.
    /// </summary>
    public async Task<(int Status, JsonNode? Json)> PostRaw(string path, string body, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = expectContinue;
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<ServerFixture>
{
    public const string Name = "Served smoke model";
}
