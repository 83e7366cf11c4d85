using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenRM.Generation;

namespace GenRM.Judging;

/// <summary>
/// Completions already sampled, kept in a folder batch by batch as <see cref="RationaleSampler"/>
/// finishes them, so that sampling stopped part-way (Ctrl+C, a lost machine) continues where it
/// stopped with the results it would have had: a batch's completions depend only on its prompts, its
/// seed and the model, all fixed by the call. Each sampling call of a run has its own file, in call
/// order, whose first line fingerprints the call (the model's <paramref name="identity"/>, the options,
/// the prompts); a file written for anything else is never reused: it is refused, or with
/// <paramref name="replaceStale"/> (a run resumed with other settings) sampled afresh.
/// </summary>
public sealed class SamplingJournal(string folder, string identity, bool replaceStale = false)
{
    static readonly JsonSerializerOptions Json = new()
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    int calls;

    /// <summary>Deletes the journal once what it kept has been used (its run's results are written).</summary>
    public void Discard()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    /// <summary>The file of the next sampling call and the batches it already holds.</summary>
    internal CallJournal Next(IReadOnlyList<int[]> prompts, int samples, bool withGreedy, GenerationOptions options, int batchSize)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"call-{calls++:D4}.jsonl");
        return CallJournal.Open(path, Fingerprint(prompts, samples, withGreedy, options, batchSize), replaceStale);
    }

    string Fingerprint(IReadOnlyList<int[]> prompts, int samples, bool withGreedy, GenerationOptions options, int batchSize)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string greedy = withGreedy ? " and a greedy one" : "";
        hash.AppendData(Encoding.UTF8.GetBytes($"{identity}\n{samples} samples{greedy}, batches of {batchSize}\n{JsonSerializer.Serialize(options)}\n"));
        foreach (int[] prompt in prompts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(string.Join(',', prompt)));
            hash.AppendData("\n"u8);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// One call's file: a header line, then a line per finished batch. A line cut short by a kill is
    /// dropped on opening; the batch it held is sampled again.
    /// </summary>
    internal sealed class CallJournal
    {
        readonly string path;
        readonly Dictionary<int, Completion[]> batches;

        CallJournal(string path, Dictionary<int, Completion[]> batches) => (this.path, this.batches) = (path, batches);

        public static CallJournal Open(string path, string fingerprint, bool replaceStale)
        {
            // Read to the last whole batch, and closed before the file is rewritten or cut there.
            using var lines = WholeLines(path).GetEnumerator();
            Header? header = lines.MoveNext() ? Read<Header>(lines.Current) : null;
            if (header is not null && header.Fingerprint != fingerprint && !replaceStale)
                throw BadInputException.About(path, "sampled for another model, other settings or other prompts than this run's; delete the folder to sample afresh.");
            var batches = new Dictionary<int, Completion[]>();
            if (header?.Fingerprint != fingerprint)
            {
                lines.Dispose();
                File.WriteAllText(path, JsonSerializer.Serialize(new Header(fingerprint), Json) + "\n");
                return new CallJournal(path, batches);
            }
            long kept = Encoding.UTF8.GetByteCount(lines.Current) + 1;
            while (lines.MoveNext())
            {
                if (Read<Batch>(lines.Current) is not { } batch || batch.ToCompletions() is not { } completions)
                    break;
                batches[batch.Index] = completions;
                kept += Encoding.UTF8.GetByteCount(lines.Current) + 1;
            }
            lines.Dispose();
            // Appends go after the last whole batch.
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                file.SetLength(kept);
            return new CallJournal(path, batches);
        }

        /// <summary>
        /// The file's lines that a newline ends (only those were written whole), read one at a time: a
        /// call's journal at the paper's scale can outgrow the largest string .NET holds.
        /// </summary>
        static IEnumerable<string> WholeLines(string path)
        {
            if (!File.Exists(path))
                yield break;
            bool lastEnded;
            using (var file = File.OpenRead(path))
            {
                file.Seek(-Math.Min(1, file.Length), SeekOrigin.End);
                lastEnded = file.ReadByte() == '\n';
            }
            using var reader = new StreamReader(path, Encoding.UTF8);
            string? line = reader.ReadLine();
            while (line is not null)
            {
                string? next = reader.ReadLine();
                if (next is not null || lastEnded)
                    yield return line;
                line = next;
            }
        }

        public bool TryGet(int batch, out Completion[] completions) => batches.TryGetValue(batch, out completions!);

        /// <summary>Appends a finished batch, flushed to the disk before sampling goes on.</summary>
        public void Record(int batch, IReadOnlyList<Completion> completions)
        {
            var line = JsonSerializer.Serialize(new Batch(batch, [.. completions.Select(Sampled.Of)]), Json) + "\n";
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
            file.Write(Encoding.UTF8.GetBytes(line));
            file.Flush(flushToDisk: true);
        }

        static T? Read<T>(string line) where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(line, Json);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        sealed record Header(string Fingerprint);

        sealed record Batch(int Index, Sampled[] Completions)
        {
            /// <summary>The batch's completions, or null when one of them is damaged.</summary>
            public Completion[]? ToCompletions()
            {
                var completions = Completions.Select(c => c.ToCompletion()).OfType<Completion>().ToArray();
                return completions.Length == Completions.Length ? completions : null;
            }
        }

        /// <summary>
        /// A completion as the journal keeps it: the token ids and log-probabilities as the bytes of their
        /// arrays (base64 in the JSON), about half the size of written-out numbers.
        /// </summary>
        sealed record Sampled(string Text, byte[] Ids, byte[] LogProbs, FinishReason Finish)
        {
            public static Sampled Of(Completion completion) => new(completion.Text,
                MemoryMarshal.AsBytes(completion.TokenIds.AsSpan()).ToArray(), MemoryMarshal.AsBytes(completion.TokenLogProbs.AsSpan()).ToArray(), completion.FinishReason);

            /// <summary>The completion, or null when the arrays' bytes do not make two arrays of one length (a damaged line).</summary>
            public Completion? ToCompletion() =>
                Ids.Length % sizeof(int) != 0 || Ids.Length / sizeof(int) != LogProbs.Length / sizeof(float) || LogProbs.Length % sizeof(float) != 0
                    ? null
                    : new(Text, MemoryMarshal.Cast<byte, int>(Ids).ToArray(), MemoryMarshal.Cast<byte, float>(LogProbs).ToArray(), Finish);
        }
    }
}
