using System.Diagnostics;
using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.MiniWorld;
using GenRM.Modeling.Lora;
using GenRM.Remote;
using GenRM.Reporting;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Serving;

/// <summary>
/// STaR with its sampling on an inference engine in another process: <c>genrm serve</c> started as a
/// child process on the smoke model, and a STaR method run here with LoRA and activation checkpointing
/// (the paper preset's training path) on a slice of the smoke world, handing the server each
/// iteration's adapter.
/// </summary>
public sealed class SamplerLoopTests
{
    [Fact]
    public async Task StarSamplesOnAServeChildProcessThatIsHandedEachIterationsAdapterAndTheLogAndOutcomeSayWhichWeightsServed()
    {
        using var temp = new TempDirectory();
        using var server = await ServeProcess.Start(ServerFixture.SmokeModel);
        string v1 = new Uri(server.Address, "/v1").ToString();
        var spec = Presets.Smoke with
        {
            Methods = [StudyOrder.StarSft],
            FineTune = Presets.Smoke.FineTune with { Lora = new LoraConfig { Rank = 4, Alpha = 8 }, GradientCheckpointing = true, OptimizerSteps = 4 },
            Star = Presets.Smoke.Star with { Iterations = 2, SamplesPerItem = 2 },
            Evaluation = Presets.Smoke.Evaluation with { Votes = 1, PositionBiasItems = 0 },
        };
        var world = StudyData.FromMiniWorld(MiniWorldModel.Preset("smoke").World, spec.Seed, spec.Evaluation.HeldOutItems);
        var data = world with
        {
            Train = [.. world.Train.Take(8)],
            HeldOut = [.. world.HeldOut.Take(2)],
            Evaluation = [.. world.InDistributionTest.Take(2)],
        };
        string folder = temp.File("star-sft");
        MethodOutcome outcome;
        using (var baseModel = MiniWorldBaseModel.Load(ServerFixture.SmokeModel))
        using (var engine = EngineClient.Connect(v1, null, null, TimeSpan.FromSeconds(60)))
        using (var log = new RunLog(temp.File("run.log"), null))
        {
            outcome = new MethodRunner(spec, data, baseModel, new MiniWorldJudgePromptFormat(), MiniWorldBaseModel.Save, null, log,
                method => EngineSampler.Start(engine, method, ServerFixture.SmokeModel, MiniWorldBaseModel.Save, log: log)).Run(StudyOrder.StarSft, folder, default);
        }

        string Adapter(int iteration) => Path.Combine(folder, "star", $"iteration-{iteration}", "adapter");
        EngineWeights Lora(int iteration) => new(v1, $"star-sft-iteration-{iteration}", EngineWeights.LoraKind, Adapter(iteration));
        var baseWeights = new EngineWeights(v1, "smoke", EngineWeights.BaseKind, null);
        Assert.Equal(
            new[]
            {
                new SamplerUse("star-sft", SamplerUse.Sampling, 1, baseWeights),
                new SamplerUse("star-sft", SamplerUse.HeldOut, 1, Lora(1)),
                new SamplerUse("star-sft", SamplerUse.Sampling, 2, Lora(1)),
                new SamplerUse("star-sft", SamplerUse.HeldOut, 2, Lora(2)),
                new SamplerUse("star-sft", SamplerUse.Evaluation, null, Lora(2)),
            },
            outcome.Sampler);
        Assert.Equal(4, LoraAdapterFiles.ReadConfig(Adapter(2)).Rank);

        // Results came back: the STaR iterations, and the rows of the judge read on the engine.
        Assert.Equal(new[] { 8, 8 }, outcome.StarIterations.Select(i => i.Sampled));
        Assert.Equal(2, Assert.Single(outcome.Rows, r => r.Section == StudyData.InDistribution).N);

        // The server holds the last adapter only, and says it loaded each one.
        using var http = new HttpClient();
        var models = JsonNode.Parse(await http.GetStringAsync(new Uri(server.Address, "/v1/models")))!["data"]!.AsArray();
        Assert.Equal(new[] { "smoke", "star-sft-iteration-2" }, models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(Adapter(2), models[1]!["root"]!.GetValue<string>());
        string served = await server.StopAndReadOutput();
        Assert.Contains("/v1/load_lora_adapter: Success: LoRA adapter 'star-sft-iteration-1' added successfully.", served);
        Assert.Contains("/v1/load_lora_adapter: Success: LoRA adapter 'star-sft-iteration-2' added successfully.", served);
        Assert.Contains("/v1/unload_lora_adapter: Success: LoRA adapter 'star-sft-iteration-1' removed successfully.", served);

        string runLog = File.ReadAllText(temp.File("run.log"));
        Assert.Contains($"iteration 1/2: sampling 2 rationales for 4 items ({v1} (model smoke, base))", runLog);
        Assert.Contains($"iteration 2/2: sampling 2 rationales for 4 items ({Lora(1)})", runLog);
        Assert.Contains($"[star-sft] sampler now serves {Lora(2)}", runLog);
        Assert.Contains($"[star-sft] judging 2 evaluation pairs on {Lora(2)}", runLog);
    }

    [Fact]
    public void ReproduceWithAnEngineThatIsNotThereStopsAtOnceWithOneLineNamingIt()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("reproduce", "--preset", "smoke", "--methods", "star-sft", "--threads", "1",
            "--sampler", "http://127.0.0.1:1/v1", "--out", temp.File("run"));
        Assert.Equal(1, code);
        Assert.Contains("sampler http://127.0.0.1:1/v1: cannot reach the engine", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("not a url", 1, "sampler.url: endpoint 'not a url' is not an http(s) URL")]
    [InlineData(null, 2, "go with --sampler URL")]
    public void ABadSamplerOnTheCommandLineIsRefusedBeforeAnythingRuns(string? url, int expected, string message)
    {
        using var temp = new TempDirectory();
        string[] sampler = url is null ? ["--sampler-model", "llama"] : ["--sampler", url];
        var (code, _, error) = CliContractTests.Run(["reproduce", "--preset", "smoke", "--out", temp.File("run"), .. sampler]);
        Assert.Equal(expected, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(temp.File("run")));
    }

    [Fact]
    public void ASpecWhoseSamplerWouldServeSeveralFullyFineTunedMethodsAtOnceIsRefused()
    {
        var spec = Presets.Smoke with { Workers = 2, Sampler = new SamplerSettings { Url = "http://127.0.0.1:8000/v1" } };
        var error = Assert.Throws<BadInputException>(() => spec.Validated("spec.json"));
        Assert.Contains("spec.json: sampler: a sampler serving fully fine-tuned weights holds one method's weights at a time", error.Message);
        (spec with { FineTune = spec.FineTune with { Lora = new LoraConfig() } }).Validated("spec.json");
        // One method cannot share the engine with another, whatever the workers.
        (spec with { Methods = ["star-sft"] }).Validated("spec.json");
    }
}

/// <summary><c>genrm serve</c> in a child process on a free loopback port, as a user starts it.</summary>
internal sealed class ServeProcess : IDisposable
{
    readonly Process process;

    ServeProcess(Process process, Uri address) => (this.process, Address) = (process, address);

    /// <summary>The server's root address, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    public static async Task<ServeProcess> Start(string model)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GenRM.Cli.dll"), "serve", "--model", model, "--port", "0", "--threads", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("Serving '", StringComparison.Ordinal))
        {
            process.Kill();
            Assert.Fail($"genrm serve did not start: {line}\n{await process.StandardError.ReadToEndAsync()}");
        }
        return new ServeProcess(process, new Uri(line!.Split(" at ")[1].Split(' ')[0]));
    }

    /// <summary>Stops the server and returns what it printed after its first line.</summary>
    public async Task<string> StopAndReadOutput()
    {
        process.Kill();
        return await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}
