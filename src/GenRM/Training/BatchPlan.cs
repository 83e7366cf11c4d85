namespace GenRM.Training;

/// <summary>How a training run cuts its examples into micro-batches, epoch by epoch (<see cref="TrainingLoop"/>).</summary>
public static class BatchPlan
{
    /// <summary>
    /// Index lists of every micro-batch of every epoch: a fresh seeded permutation per epoch, cut in
    /// order, or, with <paramref name="lengths"/> (each example's padded width) and
    /// <see cref="TrainingConfig.GroupByLength"/>, grouped by length first.
    /// With <see cref="TrainingConfig.Steps"/>, epochs follow one another until the steps are filled.
    /// A resumed run gets the same plan, so it replays the same data order. A short tail (under half a
    /// batch) joins the batch before it: alone it would take a full optimizer step on one or two
    /// examples, and its mean loss would spike the training curve.
    /// </summary>
    public static List<int[]> MicroBatches(int count, TrainingConfig config, int[]? lengths)
    {
        var batches = new List<int[]>();
        int wanted = config.Steps * config.GradientAccumulation;
        for (int epoch = 0; config.Steps > 0 ? batches.Count < wanted : epoch < config.Epochs; epoch++)
        {
            int[] order = Enumerable.Range(0, count).ToArray();
            // System.Random with a seed is reproducible; HashCode would not be (it is salted per process).
            var random = new Random(unchecked((int)(config.Seed * 1_000_003 + epoch)));
            random.Shuffle(order);
            if (lengths is null || !config.GroupByLength)
            {
                batches.AddRange(Cut(order, config.BatchSize));
                continue;
            }
            // transformers' group_by_length: windows of the shuffled order (50 batches each) are sorted
            // by length and cut, so a batch's rows have similar lengths; the epoch's batches are then
            // shuffled so that length does not set the order they are seen in.
            int[][] shuffled = [.. order.Chunk(LengthGroupWindow * config.BatchSize)
                .SelectMany(window => Cut([.. window.OrderByDescending(i => lengths[i])], config.BatchSize))];
            random.Shuffle(shuffled);
            batches.AddRange(shuffled);
        }
        return config.Steps > 0 ? batches[..wanted] : batches;
    }

    /// <summary>Cuts <paramref name="order"/> into batches of <paramref name="size"/>, the last one folded into its predecessor when under half a batch.</summary>
    static List<int[]> Cut(int[] order, int size)
    {
        List<int[]> chunks = [.. order.Chunk(size)];
        if (chunks.Count > 1 && 2 * chunks[^1].Length < size)
        {
            chunks[^2] = [.. chunks[^2], .. chunks[^1]];
            chunks.RemoveAt(chunks.Count - 1);
        }
        return chunks;
    }

    /// <summary>Batches per window of the shuffled order that <see cref="TrainingConfig.GroupByLength"/> sorts (transformers' megabatch multiplier).</summary>
    const int LengthGroupWindow = 50;
}
