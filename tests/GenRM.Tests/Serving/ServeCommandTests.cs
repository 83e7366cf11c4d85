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
}
