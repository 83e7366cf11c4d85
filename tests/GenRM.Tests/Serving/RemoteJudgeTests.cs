using System.Text.Json;
using GenRM.Bootstrapping;
using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.Remote;
using GenRM.Training;

namespace GenRM.Tests.Serving;

/// <summary>Judges over an OpenAI-compatible endpoint (the in-process server) against the same judges in process.</summary>
[Collection(SharedServer.Name)]
public sealed class RemoteJudgeTests(ServerFixture fixture)
{
    ChatClientCompletionSource Source() =>
        ChatClientCompletionSource.Create(new ChatEndpoint(fixture.V1, "smoke"), new RemoteSamplingConfig { MaxConcurrency = 8 });

    static GenerativeJudge RemoteJudge(string method, ICompletionSource source, int votes) =>
        JudgeFactory.CreateGenerative(method, source, JudgeModel.PromptFormat(miniWorld: true), new EvaluationSettings { Votes = votes }, JudgeModel.SamplingFor(miniWorld: true), int.MaxValue, seed: 1);

    [Fact]
    public void TheRemoteZeroShotJudgeScoresTheSameAccuracyAsTheInProcessJudge()
    {
        var pairs = ServerEndpointTests.Pairs(24);
        using var source = Source();
        var local = JudgeEvaluation.Run(fixture.Reference.CreateJudge("zero-shot", 8, 1), pairs, seed: 1);
        var remote = JudgeEvaluation.Run(RemoteJudge("zero-shot", source, 8), pairs, seed: 1);

        double localAccuracy = SectionScoring.Plain("x", local.Select(j => j.Outcome)).Accuracy;
        double remoteAccuracy = SectionScoring.Plain("x", remote.Select(j => j.Outcome)).Accuracy;
        Assert.Equal(localAccuracy, remoteAccuracy);
        // The remote readout stops at the verdict token; the local one also multiplies in the closing "]]".
        double largest = local.Zip(remote, (l, r) => Math.Abs(l.Judgement.ProbabilityABetter - r.Judgement.ProbabilityABetter)).Max();
        Assert.True(largest < 0.05, $"P(A better) differs by up to {largest:F4} between the remote and the in-process readout.");
        var usage = source.Usage;
        Assert.Equal(["smoke"], usage.RespondingModels);
        Assert.Equal(24, usage.Requests);
        Assert.Equal(0, usage.UnreadableVerdicts);
    }

    [Fact]
    public void TheRemoteChainOfThoughtJudgeRepeatsWithTheSameSeed()
    {
        var pairs = ServerEndpointTests.Pairs(3);
        using var source = Source();
        var first = JudgeEvaluation.Run(RemoteJudge("zero-shot-cot", source, 2), pairs, seed: 1);
        var second = JudgeEvaluation.Run(RemoteJudge("zero-shot-cot", source, 2), pairs, seed: 1);
        Assert.All(first, j => Assert.Equal(2, j.Judgement.Rationales!.Count));
        Assert.Equal(first.SelectMany(j => j.Judgement.Rationales!), second.SelectMany(j => j.Judgement.Rationales!));
        Assert.Equal(12, source.Usage.Requests);
    }

    [Fact]
    public void TheStarLoopSamplesItsRationalesFromTheEndpointAndTrainsHere()
    {
        var pairs = ServerEndpointTests.Pairs(10);
        using var source = Source();
        using var model = fixture.Reference.Loaded.Model.Clone();
        var config = new StarConfig
        {
            Variant = StarVariant.Sft,
            Iterations = 1,
            SamplesPerItem = 2,
            Sampling = new GenRM.Generation.GenerationOptions { Temperature = 1.0, TopP = 0.95, MaxNewTokens = 64 },
            Sft = new SftTrainerConfig { Training = new TrainingConfig { Epochs = 1, BatchSize = 4 } },
            Evaluation = new GenerativeJudgeConfig { Readout = JudgeReadout.VerdictProbability },
            Seed = 3,
        };
        var log = new StringWriter();
        var iteration = Assert.Single(new StarLoop(model, fixture.Reference.Encoder, fixture.Reference.Format, config, source).Run([.. pairs.Take(8)], [.. pairs.Skip(8)], log: log));

        Assert.Equal(16, iteration.Sampled);
        Assert.Equal(16, source.Usage.Requests);
        Assert.Contains(source.Source, log.ToString());
    }

    [Fact]
    public async Task TransientFailuresAreRetriedWithTheKeyFromTheEnvironmentAndTheKeyIsNeverRecorded()
    {
        string variable = $"GENRM_TEST_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "sk-test-secret");
        try
        {
            await using var stub = await StubEndpoint.StartAsync(failFirst: 2, withLogProbs: false);
            using var source = ChatClientCompletionSource.Create(new ChatEndpoint(stub.V1, "stub-model", variable), new RemoteSamplingConfig { InitialBackoff = TimeSpan.FromMilliseconds(10) });
            var texts = source.Sample([[GenRM.Data.ChatMessage.User("hi")]], 1, new GenRM.Generation.GenerationOptions { Seed = 3 });

            Assert.Equal(StubEndpoint.Reply, Assert.Single(texts));
            Assert.Equal(2, source.Usage.Retries);
            Assert.Equal(3, source.Usage.Requests);
            Assert.Equal(["stub-model-2025"], source.Usage.RespondingModels);
            Assert.All(stub.Authorizations, a => Assert.Equal("Bearer sk-test-secret", a));
            Assert.DoesNotContain("sk-test-secret", source.Source + JsonSerializer.Serialize(source.Usage));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AnEndpointWithoutLogprobsGivesAClearErrorForTheDirectReadout()
    {
        await using var stub = await StubEndpoint.StartAsync(failFirst: 0, withLogProbs: false);
        using var source = ChatClientCompletionSource.Create(new ChatEndpoint(stub.V1, "stub-model"));
        var judge = RemoteJudge("zero-shot", source, 1);
        var error = Assert.Throws<BadInputException>(() => judge.Judge([new JudgeItem([GenRM.Data.ChatMessage.User("What is 1+1?")], "1+1=2", "1+1=3")]));
        Assert.Contains("logprobs", error.Message);
        Assert.Contains(stub.V1.ToString(), error.Message);
    }

    [Fact]
    public async Task AnEndpointThatKeepsFailingFailsAfterTheRetriesRunOut()
    {
        await using var stub = await StubEndpoint.StartAsync(failFirst: 100, withLogProbs: false);
        using var source = ChatClientCompletionSource.Create(new ChatEndpoint(stub.V1, "stub-model"), new RemoteSamplingConfig { MaxRetries = 2, InitialBackoff = TimeSpan.FromMilliseconds(5) });
        Assert.ThrowsAny<Exception>(() => source.Sample([[GenRM.Data.ChatMessage.User("hi")]], 1, new GenRM.Generation.GenerationOptions()));
        Assert.Equal(3, source.Usage.Requests);
    }
}
