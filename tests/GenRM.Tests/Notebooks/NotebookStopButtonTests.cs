using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.Notebooks;

namespace GenRM.Tests.Notebooks;

/// <summary>
/// A cell's stop button, as VS Code's Polyglot Notebooks press it: the kernel's own protocol (the
/// Microsoft.dotnet-interactive tool in stdio mode, which the extension starts) cancels the running
/// command. Work not given the cell's token runs on unseen, and the kernel answers the next cell only
/// when it ends; work given it stops at its next step.
/// </summary>
[Trait("Category", "Slow")]
[Collection(NotebooksRunAlone.Name)]
public sealed class NotebookStopButtonTests
{
    [Fact]
    public void StoppingTheTrainingCellOf03AtTheDefaultScaleFreesTheKernelForTheNextCellAtOnce()
    {
        Assert.StartsWith("0.1.0-local.", LocalFeed.Ensure(TestPaths.RepositoryRoot), StringComparison.Ordinal);
        string[] cells = NotebookFiles.CodeCells("03-bradley-terry.ipynb");
        int training = Array.FindIndex(cells, c => c.Contains(".Train(", StringComparison.Ordinal));
        Assert.True(training > 0, "03 has no training cell");

        using var kernel = StdioKernel.Start(NotebookFiles.Folder, NotebookScales.Default);
        for (int i = 0; i < training; i++)
            Assert.True(kernel.Run(cells[i], TimeSpan.FromMinutes(5)), $"03: code cell {i + 1} failed: {kernel.Failure}");

        // The default Bradley-Terry model trains for minutes on two cores; stopped after a few seconds of it.
        string running = kernel.Submit(cells[training]);
        Thread.Sleep(TimeSpan.FromSeconds(8));
        kernel.Cancel();
        Assert.False(kernel.Wait(running, TimeSpan.FromSeconds(30)), "the training cell was not stopped");

        var clock = Stopwatch.StartNew();
        Assert.True(kernel.Run("1 + 1", TimeSpan.FromMinutes(5)), kernel.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the next cell waited {clock.Elapsed.TotalSeconds:F0} s for the stopped training to end");
    }

    /// <summary>The kernel in stdio mode: command envelopes in, one JSON event per line out.</summary>
    sealed class StdioKernel : IDisposable
    {
        readonly Process process;
        readonly Dictionary<string, (bool Succeeded, string Message)> ended = [];
        int tokens;

        StdioKernel(Process process)
        {
            this.process = process;
            process.OutputDataReceived += (_, e) => Read(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        /// <summary>The last failed command's message.</summary>
        public string Failure { get; private set; } = "";

        public static StdioKernel Start(string folder, string scale)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in (string[])["interactive", "stdio", "--default-kernel", "csharp"])
                start.ArgumentList.Add(argument);
            start.Environment[NotebookScales.Variable] = scale;
            string tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
            start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + Path.PathSeparator + tools;
            return new StdioKernel(Process.Start(start)!);
        }

        public string Submit(string code) => Send("SubmitCode", new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" });

        public void Cancel() => Send("Cancel", new JsonObject { ["targetKernelName"] = "csharp" });

        /// <summary>Submits <paramref name="code"/> and waits for it: whether it succeeded.</summary>
        public bool Run(string code, TimeSpan limit)
        {
            string token = Submit(code);
            return Wait(token, limit);
        }

        /// <summary>Whether command <paramref name="token"/> succeeded; fails the test when it has not ended within <paramref name="limit"/>.</summary>
        public bool Wait(string token, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit && !process.HasExited)
            {
                lock (ended)
                    if (ended.TryGetValue(token, out var end))
                    {
                        Failure = end.Message;
                        return end.Succeeded;
                    }
                Thread.Sleep(20);
            }
            Assert.Fail($"command {token} had not ended after {limit.TotalSeconds:F0} s");
            return false;
        }

        string Send(string type, JsonObject command)
        {
            string token = $"test-{Interlocked.Increment(ref tokens)}";
            process.StandardInput.WriteLine(new JsonObject { ["commandType"] = type, ["command"] = command, ["token"] = token }.ToJsonString());
            process.StandardInput.Flush();
            return token;
        }

        void Read(string? line)
        {
            if (line is null || !line.StartsWith('{'))
                return;
            JsonNode? envelope;
            try
            {
                envelope = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                return;
            }
            string? type = envelope?["eventType"]?.GetValue<string>();
            if (type is not ("CommandSucceeded" or "CommandFailed") || envelope?["command"]?["token"]?.GetValue<string>() is not { } token)
                return;
            lock (ended)
                ended[token] = (type == "CommandSucceeded", envelope["event"]?["message"]?.GetValue<string>() ?? "");
        }

        public void Dispose()
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}
