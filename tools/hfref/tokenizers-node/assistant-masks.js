// Assistant-mask reference: reads tools/make_assistant_mask_reference.py's renderings (jinja2 with
// transformers' generation tracking) and, per family, tokenizes each text with Hugging Face's Rust
// library (npm `tokenizers` 0.23.2, its Node binding) without special tokens, as apply_chat_template
// does, then marks the tokens of each generation span as apply_chat_template(...,
// return_assistant_tokens_mask=True) does, with the library's own char_to_token; writes
// Fixtures/assistant-masks/<family>.json. Usage, from this folder (./package unpacked as crosscheck.js says):
//   node assistant-masks.js RENDERED.json REPOSITORY_ROOT TOKENIZERS_FOLDER
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const { Tokenizer } = require('./package');
const [rendered, repo, dir] = process.argv.slice(2);

// transformers' loop: from the token holding a span's first character through the one holding its
// last; a first character no token holds stops the marking, and a last one that no token (or token 0)
// holds marks through the end (`end_token + 1 if end_token else len(input_ids)`).
function assistantMask(encoding, spans) {
  const mask = new Array(encoding.getIds().length).fill(0);
  for (const [start, end] of spans) {
    const first = encoding.charToToken(start);
    if (first === null || first === undefined) break;
    const last = encoding.charToToken(end - 1);
    const stop = last ? last + 1 : mask.length;
    for (let i = first; i < stop; i++) mask[i] = 1;
  }
  return mask;
}

async function main() {
  const families = JSON.parse(fs.readFileSync(rendered));
  const outDir = path.join(repo, 'tests/GenRM.Tests/Fixtures/assistant-masks');
  for (const [family, f] of Object.entries(families)) {
    const file = f.tokenizer.startsWith('synthetic')
      ? path.join(repo, 'tests/GenRM.Tests/Fixtures/tokenizers', f.tokenizer + '.tokenizer.json')
      : path.join(dir, f.tokenizer, 'tokenizer.json');
    if (!fs.existsSync(file)) { console.log(`${family}: skipped, ${file} is absent`); continue; }
    const t = Tokenizer.fromFile(file);
    const lines = [];
    let marked = 0;
    for (const c of f.cases) {
      if (c.error === undefined) {
        const encoding = await t.encode(c.text, null, { addSpecialTokens: false });
        c.ids = encoding.getIds();
        c.assistant_masks = assistantMask(encoding, c.generation_spans);
        marked += c.assistant_masks.some(m => m === 1) ? 1 : 0;
      }
      lines.push(JSON.stringify(c));
    }
    const head = {
      family, template: f.template, special_tokens: f.special_tokens, tokenizer: f.tokenizer,
      sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      library: 'npm tokenizers 0.23.2 (Hugging Face tokenizers, Node binding)', unit: 'code points',
    };
    fs.writeFileSync(path.join(outDir, family + '.json'), JSON.stringify(head).slice(0, -1) + ',"cases":[\n' + lines.join(',\n') + '\n]}\n');
    console.log(`${family}: ${f.cases.length} cases, ${marked} with marked tokens`);
  }
}
main();
