using GenRM.Hub;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Hub;

public sealed class HubDownloadTests : IDisposable
{
    const string Repo = "acme/tiny-model";
    const string Weights = "model.safetensors";

    readonly TempDirectory temp = new();
    readonly LocalHub hub;
    readonly string source;
    readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));

    public HubDownloadTests()
    {
        source = Path.Combine(temp.Path, "hub", "models", "acme", "tiny-model");
        Directory.CreateDirectory(Path.Combine(source, "tokenizer"));
        File.WriteAllText(Path.Combine(source, "config.json"), """{"model_type": "llama"}""");
        File.WriteAllText(Path.Combine(source, "tokenizer", "tokenizer.json"), """{"version": "1.0"}""");
        var weights = new byte[3_000_000];
        new Random(7).NextBytes(weights);
        File.WriteAllBytes(Path.Combine(source, Weights), weights);
        hub = new LocalHub(Path.Combine(temp.Path, "hub"));
    }

    HubDownloadConfig Config(int attempts = 3) => new() { Repo = Repo, Endpoint = hub.Endpoint, Token = "hf_test_secret", MaxAttempts = attempts };

    string Target => Path.Combine(temp.Path, "out");

    void AssertSameFiles()
    {
        foreach (string relative in new[] { "config.json", "tokenizer/tokenizer.json", Weights })
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, relative)), File.ReadAllBytes(Path.Combine(Target, relative)));
        Assert.Empty(Directory.EnumerateFiles(Target, "*" + HubDownloader.PartialSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AFullDownloadPlacesEveryFileAcrossListingPagesAndSendsTheTokenAsABearerHeader()
    {
        var log = new StringWriter();
        using var downloader = new HubDownloader(Config(), log);
        var result = await downloader.DownloadAsync(Target, timeout.Token);

        Assert.Equal(3, result.Files.Count);
        Assert.Equal(3_000_000 + new FileInfo(Path.Combine(source, "config.json")).Length + new FileInfo(Path.Combine(source, "tokenizer", "tokenizer.json")).Length, result.BytesFetched);
        AssertSameFiles();
        Assert.True(hub.Requests.Count(r => r.Path.StartsWith("/api/models/acme/tiny-model/tree/main", StringComparison.Ordinal)) >= 2, "the listing's second page was not fetched");
        Assert.All(hub.Requests, r => Assert.Equal("Bearer hf_test_secret", r.Authorization));
        Assert.DoesNotContain("hf_test_secret", log.ToString());

        using var again = new HubDownloader(Config(), log);
        Assert.Equal(0, (await again.DownloadAsync(Target, timeout.Token)).BytesFetched);
    }

    [Fact]
    public async Task ADroppedConnectionLeavesAPartialFileThatTheNextRunResumesWithARangeRequest()
    {
        hub.DropOnce = (Weights, 1_000_000);
        using (var first = new HubDownloader(Config(attempts: 1)))
        {
            var error = await Assert.ThrowsAsync<BadInputException>(() => first.DownloadAsync(Target, timeout.Token));
            Assert.Contains("run the command again to resume", error.Message);
        }
        string partial = Path.Combine(Target, Weights + HubDownloader.PartialSuffix);
        long have = new FileInfo(partial).Length;
        Assert.InRange(have, 1, 1_000_000);
        Assert.False(File.Exists(Path.Combine(Target, Weights)));

        using var second = new HubDownloader(Config(attempts: 1));
        var result = await second.DownloadAsync(Target, timeout.Token);

        AssertSameFiles();
        // The rest of the weights, and the file listed after them that the first run never reached.
        Assert.Equal(3_000_000 - have + new FileInfo(Path.Combine(source, "tokenizer", "tokenizer.json")).Length, result.BytesFetched);
        Assert.Contains(hub.Requests, r => r.Path.EndsWith("/resolve/main/" + Weights, StringComparison.Ordinal) && r.Range == $"bytes={have}-");
    }

    [Fact]
    public async Task ADroppedConnectionIsResumedWithinTheSameRun()
    {
        hub.DropOnce = (Weights, 500_000);
        using var downloader = new HubDownloader(Config());
        await downloader.DownloadAsync(Target, timeout.Token);
        AssertSameFiles();
        var fileRequests = hub.Requests.Where(r => r.Path.EndsWith(Weights, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fileRequests.Count);
        Assert.Null(fileRequests[0].Range);
        Assert.StartsWith("bytes=", fileRequests[1].Range);
    }

    [Fact]
    public async Task AChecksumMismatchLeavesNoFileInPlace()
    {
        hub.WrongSha256[Weights] = new string('0', 64);
        using var downloader = new HubDownloader(Config());
        var error = await Assert.ThrowsAsync<BadInputException>(() => downloader.DownloadAsync(Target, timeout.Token));
        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains(Weights, error.Message);
        Assert.False(File.Exists(Path.Combine(Target, Weights)));
        Assert.False(File.Exists(Path.Combine(Target, Weights + HubDownloader.PartialSuffix)));
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("a/../../outside.json")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    public void APathThatEscapesTheTargetFolderIsRefused(string listed)
    {
        var error = Assert.Throws<BadInputException>(() => HubDownloader.TargetPath(Target, listed));
        Assert.Contains("escapes the target folder", error.Message);
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("ftp://127.0.0.1")]
    public void APlainHttpEndpointOffLoopbackIsRefused(string endpoint)
    {
        var error = Assert.Throws<BadInputException>(() => new HubDownloadConfig { Repo = Repo, Endpoint = endpoint }.Validated());
        Assert.Contains("https://", error.Message);
    }

    [Fact]
    public void TheCommandDownloadsADatasetWithTheTokenFromHfTokenAndNeverPrintsIt()
    {
        string dataset = Path.Combine(temp.Path, "hub", "datasets", "acme", "prefs");
        Directory.CreateDirectory(dataset);
        File.WriteAllText(Path.Combine(dataset, "train.jsonl"), """{"prompt": "p", "chosen": "a", "rejected": "b"}""" + "\n");
        Environment.SetEnvironmentVariable(DownloadCommandToken, "hf_cli_secret");
        try
        {
            var (code, output, error) = CliContractTests.Run("download", "acme/prefs", "--repo-type", "dataset", "--endpoint", hub.Endpoint, "--to", Target);
            Assert.True(code == 0, error);
            Assert.Equal(File.ReadAllText(Path.Combine(dataset, "train.jsonl")), File.ReadAllText(Path.Combine(Target, "train.jsonl")));
            Assert.Contains(hub.Requests, r => r.Path == "/datasets/acme/prefs/resolve/main/train.jsonl" && r.Authorization == "Bearer hf_cli_secret");
            Assert.DoesNotContain("hf_cli_secret", output + error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DownloadCommandToken, null);
        }
    }

    [Fact]
    public void AMissingRepositoryIsOneLineAndExitOne()
    {
        var (code, _, error) = CliContractTests.Run("download", "acme/no-such-model", "--endpoint", hub.Endpoint, "--to", Target);
        Assert.Equal(1, code);
        Assert.Contains("not found (404)", error);
        Assert.DoesNotContain("   at ", error);
    }

    const string DownloadCommandToken = GenRM.Cli.DownloadCommand.TokenVariable;

    public void Dispose()
    {
        hub.Dispose();
        timeout.Dispose();
        temp.Dispose();
    }
}
