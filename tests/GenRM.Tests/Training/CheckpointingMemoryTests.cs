using System.Globalization;
using System.Runtime.InteropServices;
using GenRM.Modeling;
using GenRM.Tests.Modeling;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

/// <summary>
/// Tests that read process-wide state, which tests running beside them would disturb: resident
/// memory, and the global random generator that dropout draws from.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateTests
{
    public const string Name = "process-wide state";
}

/// <summary>What activation checkpointing saves: the activations autograd holds between the forward and backward passes.</summary>
[Collection(ProcessWideStateTests.Name)]
public sealed class CheckpointingMemoryTests(ITestOutputHelper output)
{
    // glibc's mallopt: with a fixed mmap threshold, every allocation of 64 KiB or more is mapped on its
    // own and unmapped when freed, so resident memory follows the live tensors (the default threshold
    // grows after the first large free, and freed tensors then stay resident in the heap).
    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int MallocOption(int parameter, int value);
    const int MmapThreshold = -3;

    [Fact]
    public void CheckpointingHoldsFarFewerActivationsAfterTheForwardPass()
    {
        Assert.Equal(1, MallocOption(MmapThreshold, 64 * 1024));
        // A 4-layer model on 4 × 512 tokens: without checkpointing autograd keeps every layer's
        // activations until the backward pass; with it, each layer's input.
        var config = TinyModels.Config() with { HiddenSize = 128, IntermediateSize = 512, NumHiddenLayers = 4, NumAttentionHeads = 4, MaxPositionEmbeddings = 512 };
        using var model = new LanguageModel(config, seed: 2);
        model.train();
        using var ids = randint(0, 250, [4, 512]);
        double Measure(bool checkpointing)
        {
            using var scope = NewDisposeScope();
            model.GradientCheckpointing = checkpointing;
            GC.Collect();
            GC.WaitForPendingFinalizers();
            double before = ResidentMegabytes();
            Tensor loss = -LanguageModel.TokenLogProbs(model.Forward(ids), ids).mean();
            double added = ResidentMegabytes() - before;
            loss.backward();
            return added;
        }
        Measure(false); // the first pass's one-time allocations (thread pools, kernels' buffers) are not activations
        double plain = Measure(false), checkpointed = Measure(true), plainAgain = Measure(false);
        output.WriteLine($"resident memory held after the forward pass: plain {plain:F0} MB (again: {plainAgain:F0} MB), checkpointed {checkpointed:F0} MB");
        Assert.True(checkpointed < 0.5 * Math.Min(plain, plainAgain), $"checkpointed {checkpointed:F0} MB vs plain {plain:F0} / {plainAgain:F0} MB");
    }

    static double ResidentMegabytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();
}
