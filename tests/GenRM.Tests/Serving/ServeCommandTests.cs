using System.Diagnostics;
using System.Text.Json.Nodes;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Serving;

[Collection(SharedServer.Name)]
public sealed class ServeCommandTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("--host", "localhost-ish", "not an IP address")]
    [InlineData("--judge", "oracle", "unknown judge 'oracle'")]
    [InlineData("--max-body-bytes", "10", "MaxBodyBytes")]
    public void BadServeOptionsAreUsageErrors(string option, string value, string message)
    {
        var (code, _, error) = CliContractTests.Run("serve", "--model", ServerFixture.SmokeModel, "--port", "0", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void ServingAFolderThatIsNoModelIsBadInputNamingIt()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("serve", "--model", temp.Path, "--port", "0");
        Assert.Equal(1, code);
        Assert.Contains(temp.Path, error);
    }

    static string WritePairs(TempDirectory temp, int count)
    {
        string data = temp.File("pairs.jsonl");
        File.WriteAllLines(data, ServerEndpointTests.Pairs(count).Select(p => new JsonObject
        {
            ["id"] = p.Id,
            ["prompt"] = p.Prompt[0].Content,
            ["chosen"] = p.Chosen,
            ["rejected"] = p.Rejected,
            ["subset"] = "toy-subset",
        }.ToJsonString()));
        return data;
    }

    [Fact]
    public void AReadingOfARewardHeadCannotRunOverAnEndpoint()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("eval", "--judge", "bradley-terry", "--endpoint", fixture.V1.ToString(), "--model", "smoke", "--data", WritePairs(temp, 1));
        Assert.Equal(2, code);
        Assert.Contains("needs the model's weights", error);
    }

    [Fact]
    public void EvalThroughAnEndpointWritesResultsAndWhichEndpointAndModelProducedThem()
    {
        using var temp = new TempDirectory();
        string data = WritePairs(temp, 8);

        var (code, output, error) = CliContractTests.Run("eval", "--judge", "zero-shot", "--endpoint", fixture.V1.ToString(), "--model", "smoke",
            "--prompt-format", "miniworld", "--data", data, "--out", temp.File("out"));

        Assert.True(code == 0, error);
        Assert.Contains("Judged by", output);
        var usage = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.File("out"), "endpoint.json")))!;
        Assert.Equal(fixture.V1.ToString(), usage["endpoint"]!.GetValue<string>());
        Assert.Equal("smoke", usage["responding_models"]![0]!.GetValue<string>());
        Assert.Equal(8, usage["requests"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(temp.File("out"), "results.json")));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task TheServeCommandAnswersAndStopsCleanlyOnASignal(string signal)
    {
        string[] serve = ["dotnet", Path.Combine(AppContext.BaseDirectory, "GenRM.Cli.dll"), "serve", "--model", ServerFixture.SmokeModel, "--port", "0", "--threads", "1"];
        // As a user starts it from a terminal: a test host launched in the background by a shell without
        // job control ignores SIGINT, the child would inherit that, and .NET keeps an ignored SIGINT ignored.
        if (OperatingSystem.IsLinux()) serve = ["env", "--default-signal=INT", .. serve];
        var start = new ProcessStartInfo(serve[0], serve[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null || !line.StartsWith("Serving 'smoke'", StringComparison.Ordinal))
                Assert.Fail($"{line}\n{await process.StandardError.ReadToEndAsync()}");
            var address = new Uri(line!.Split(" at ")[1].Split(' ')[0]);
            using var http = new HttpClient();
            Assert.Contains("\"smoke\"", await http.GetStringAsync(new Uri(address, "/v1/models")));

            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopped.", await process.StandardOutput.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
