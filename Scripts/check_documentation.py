#!/usr/bin/env python3
"""Checks that the documentation says what the code does.

1. Every "`swift run NAME` prints:" in the DocC catalogues, the tutorial and README.md is
   followed by a fenced block equal, byte for byte, to what the snippet NAME prints
   (the snippets must be built: `swift build --product NAME`, debug by default).
1c. No ```swift block in a catalogue other than a package manifest (// Package.swift):
   Swift samples are snippets, shown with @Snippet.
2. Every ```swift block in README.md preceded by `<!-- snippet: NAME -->` is the text of
   Snippets/NAME.swift (less its leading comment lines): what a newcomer pastes is what
   CI compiles and runs.
3. The tutorial's code files (Tutorials/Resources/NAME-K.swift) are the snippet NAME cut at
   its `// step:` markers: step K is everything up to the end of the K-th step. With
   --write the files are regenerated instead of checked.
4. With --lab-results FILE (a `dendrite lab` results.json), the lab figures quoted in the
   articles and the tutorial (FIGURES below) are the ones in that file.
5. With --coverage LOG (the output of `swift package generate-documentation
   --experimental-documentation-coverage --coverage-summary-level detailed`), every public
   symbol written in the source has a summary; it prints the coverage per module. Symbols
   the compiler writes or a standard-library protocol supplies (`!=`, `hash(into:)`,
   `init(from:)`, literal initialisers, `next()` of RandomNumberGenerator, …) have no doc
   comment to write and are counted apart.

Usage: python3 Scripts/check_documentation.py [--build-dir .build/debug]
                                              [--lab-results DIR/results.json] [--write]
                                              [--coverage DOCC-OUTPUT]
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "Sources/Dendrite/Dendrite.docc", ROOT / "Sources/DendriteData/DendriteData.docc",
              ROOT / "Sources/DendriteLab/DendriteLab.docc"]
TUTORIAL_RESOURCES = ROOT / "Sources/Dendrite/Dendrite.docc/Tutorials/Resources"
TUTORIAL_SNIPPETS = ["TutorialSaturatedNeuron", "TutorialBreastCancer", "TutorialDigits"]
STEP_MARKER = re.compile(r"^// step: (.*)$")

# Lab figures quoted in prose: (file relative to the Dendrite catalogue, template). A
# placeholder is {experiment.metric:format} (format: int, f3, f4; an integer index after
# the metric, metric[i], picks from a list). The template, with its figures filled in from
# results.json, must appear in the file (whitespace-insensitive).
FIGURES = [
    ("TheStudyInCode.md", "the output falls below 0.1 after {saturated-neuron.epochs_to_target_mse:int} epochs under MSE and {saturated-neuron.epochs_to_target_cross_entropy:int} under cross-entropy; below 0.5 after {saturated-neuron.epochs_to_0_5_mse:int} and {saturated-neuron.epochs_to_0_5_cross_entropy:int}."),
    ("TheStudyInCode.md", "cross-entropy is still faster ({saturated-neuron.unsaturated_epochs_to_target_mse:int} against {saturated-neuron.unsaturated_epochs_to_target_cross_entropy:int} epochs to a < 0.1"),
    ("TheStudyInCode.md", "Training accuracy reached 95% after {sigmoid-mse-vs-cross-entropy.epochs_to_target_mse:int} epochs under MSE and {sigmoid-mse-vs-cross-entropy.epochs_to_target_cross_entropy:int} under binary cross-entropy. Test accuracy after training: {sigmoid-mse-vs-cross-entropy.test_accuracy_mse:f3} (MSE) and {sigmoid-mse-vs-cross-entropy.test_accuracy_cross_entropy:f3} (cross-entropy)."),
    ("TheStudyInCode.md", "MSE at four times the learning rate, the control, reached 95% after {sigmoid-mse-vs-cross-entropy.epochs_to_target_mse_4x_lr:int} epochs"),
    ("TheStudyInCode.md", "Softmax with the log-likelihood reached a test accuracy of {softmax-log-likelihood.test_accuracy_softmax_nll:f3}; sigmoid outputs with MSE on one-hot targets {softmax-log-likelihood.test_accuracy_sigmoid_mse:f3}."),
    ("TheStudyInCode.md", "with that convention sigmoid outputs reached {softmax-log-likelihood.test_accuracy_sigmoid_mse_averaged_over_outputs:f3}"),
    ("TheStudyInCode.md", "test accuracy after training: sigmoid {vanishing-gradients.test_accuracy.sigmoid:f3}, tanh {vanishing-gradients.test_accuracy.tanh:f3}, ReLU {vanishing-gradients.test_accuracy.relu:f3}."),
    ("TheStudyInCode.md", "the N(0, 1) network diverged ({exploding-gradients.divergence_point:text}: the NaN guard stopped it); with He initialisation it did not (test accuracy {exploding-gradients.test_accuracy_with_init_fix:f3}), nor with N(0, 1) weights and the gradient norm clipped to 1 (test accuracy {exploding-gradients.test_accuracy_with_clipping:f3})."),
    ("TheStudyInCode.md", "| `plain` | {deep-cures.test_accuracy.plain[0]:f3} | {deep-cures.test_accuracy.plain[1]:f3} |"),
    ("TheStudyInCode.md", "| `batch-norm` | {deep-cures.test_accuracy.batch-norm[0]:f3} | {deep-cures.test_accuracy.batch-norm[1]:f3} |"),
    ("TheStudyInCode.md", "| `residual` | {deep-cures.test_accuracy.residual[0]:f3} | {deep-cures.test_accuracy.residual[1]:f3} |"),
    ("TheStudyInCode.md", "| `batch-norm-and-residual` | {deep-cures.test_accuracy.batch-norm-and-residual[0]:f3} | {deep-cures.test_accuracy.batch-norm-and-residual[1]:f3} |"),
    ("DeepNetworks.md", "| plain | 20, 50 | {deep-cures.test_accuracy.plain[0]:f4} | {deep-cures.test_accuracy.plain[1]:f4} |"),
    ("DeepNetworks.md", "| batch norm | 20, 50 | {deep-cures.test_accuracy.batch-norm[0]:f4} | {deep-cures.test_accuracy.batch-norm[1]:f4} |"),
    ("DeepNetworks.md", "| residual | 21, 51 | {deep-cures.test_accuracy.residual[0]:f4} | {deep-cures.test_accuracy.residual[1]:f4} |"),
    ("DeepNetworks.md", "| residual + batch norm | 21, 51 | {deep-cures.test_accuracy.batch-norm-and-residual[0]:f4} | {deep-cures.test_accuracy.batch-norm-and-residual[1]:f4} |"),
    ("Tutorials/WhyCrossEntropyLearnsFaster.tutorial", "`dendrite lab` reports the same: {saturated-neuron.epochs_to_target_mse:int} against {saturated-neuron.epochs_to_target_cross_entropy:int} epochs"),
    ("Tutorials/WhyCrossEntropyLearnsFaster.tutorial", "`dendrite lab` reports the same figures: {sigmoid-mse-vs-cross-entropy.epochs_to_target_mse:int}, {sigmoid-mse-vs-cross-entropy.epochs_to_target_cross_entropy:int} and {sigmoid-mse-vs-cross-entropy.epochs_to_target_mse_4x_lr:int} epochs"),
    ("Tutorials/WhyCrossEntropyLearnsFaster.tutorial", "`dendrite lab` reports the same test accuracies, {softmax-log-likelihood.test_accuracy_softmax_nll:f3} and {softmax-log-likelihood.test_accuracy_sigmoid_mse:f3}"),
]


def documents():
    for catalogue in CATALOGUES:
        yield from sorted(p for p in catalogue.rglob("*") if p.suffix in (".md", ".tutorial"))
    yield ROOT / "README.md"


def fenced_block_after(lines, start):
    """The fenced block that opens on the first non-empty line at or after `start`."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not lines[i].lstrip().startswith("```"):
        return None, i
    indent = len(lines[i]) - len(lines[i].lstrip())
    fence = lines[i].strip()[:3]
    body = []
    i += 1
    while i < len(lines) and lines[i].strip() != fence:
        body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
        i += 1
    return "\n".join(body), i + 1


def snippet_lines(name):
    """Snippets/NAME.swift's lines, less the leading comment that introduces the file."""
    lines = (ROOT / "Snippets" / f"{name}.swift").read_text().rstrip("\n").split("\n")
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return lines


def snippet_body(name):
    return "\n".join(snippet_lines(name)).strip("\n")


def tutorial_steps(name):
    """The snippet cut at its `// step:` markers: one text per step, each a whole program."""
    lines = snippet_lines(name)
    starts = [i for i, line in enumerate(lines) if STEP_MARKER.match(line)]
    steps = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        text = [STEP_MARKER.sub(r"// \1", line) for line in lines[:end]]
        while text and not text[-1].strip():
            text.pop()
        steps.append("\n".join(text).lstrip("\n") + "\n")
    return steps


def run_snippet(name, build, outputs, failures):
    """What the built snippet `name` prints (run once, then remembered), or None."""
    if name not in outputs:
        binary = build / name
        if not binary.exists():
            failures.append(f"{binary} is not built (swift build --product {name})")
            outputs[name] = None
        else:
            run = subprocess.run([str(binary)], capture_output=True, text=True, cwd=ROOT)
            if run.returncode != 0:
                failures.append(f"{name} exited with {run.returncode}: {run.stderr.strip()}")
                outputs[name] = None
            else:
                outputs[name] = run.stdout.rstrip("\n")
    return outputs[name]


def fill(template, results):
    def value(match):
        experiment, path, index, form = match.group(1), match.group(2), match.group(3), match.group(4)
        entry = next((e for e in results["experiments"] if e["id"] == experiment), None)
        if entry is None:
            raise KeyError(f"no experiment {experiment} in results.json")
        figure = entry["metrics"]
        for key in path.split("."):
            figure = figure[key]
        if index is not None:
            figure = figure[int(index)]
        if form == "text":
            return str(figure)
        if form == "int":
            return str(int(figure))
        return f"%.{form[1:]}f" % figure
    return re.sub(r"\{([a-z0-9-]+)\.([a-z0-9_.-]+?)(?:\[(\d+)\])?:(int|text|f\d)\}", value, template)


# Symbols without a doc comment of their own: written by the compiler (Equatable, Hashable,
# Codable, RawRepresentable) or supplied by a standard-library protocol's extension.
INHERITED = re.compile(
    r"^((!=|==)\(_:_:\)|hash\(into:\)|hashValue|init\(from:\)|encode\(to:\)|init\(rawValue:\)|rawValue"
    r"|localizedDescription|build\w*\(.*\)|debugDescription|next\(.*\)"
    r"|init\((unicodeScalar|extendedGraphemeCluster|string|integer|float|boolean|nil|array|dictionary)Literal:\))$")


def coverage(log_path, failures):
    """Reads docc's detailed coverage table: per module, the public symbols and their summaries."""
    modules = {}
    for line in pathlib.Path(log_path).read_text().split("\n"):
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 8 or not cells[7].startswith("doc://") or cells[2] not in ("true", "false"):
            continue
        if cells[1] in ("CollectionGroup", "Article", "Tutorial", "Tutorial Table of Contents"):
            continue
        module = cells[7].split("/")[2]
        counts = modules.setdefault(module, [0, 0, 0])
        counts[0] += 1
        if cells[2] == "true":
            counts[1] += 1
        elif INHERITED.match(re.sub(r"-\w+$", "", cells[7].rsplit("/", 1)[-1])):  # the name column is cut at 30
            counts[2] += 1
        else:
            failures.append(f"{cells[7]}: a public symbol without a doc comment")
    for module, (total, documented, inherited) in sorted(modules.items()):
        written = total - inherited
        print(f"{module}: {documented} of {written} public symbols written in the source have a summary "
              f"({100 * documented / max(written, 1):.1f}%); {inherited} more are compiler-generated or inherited")
    if not modules:
        failures.append(f"{log_path}: no coverage table (run docc with --coverage-summary-level detailed)")


def normalise(text):
    return " ".join(text.split())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=".build/debug")
    parser.add_argument("--lab-results")
    parser.add_argument("--write", action="store_true", help="regenerate the tutorial's code files")
    parser.add_argument("--coverage", help="docc's detailed coverage output, to check every symbol is documented")
    args = parser.parse_args()
    failures = []
    build = (ROOT / args.build_dir) if not pathlib.Path(args.build_dir).is_absolute() else pathlib.Path(args.build_dir)

    # 3. Tutorial code files.
    steps = {name: tutorial_steps(name) for name in TUTORIAL_SNIPPETS}
    for name in TUTORIAL_SNIPPETS:
        for k, text in enumerate(steps[name], 1):
            path = TUTORIAL_RESOURCES / f"{name}-{k}.swift"
            if args.write:
                path.write_text(text)
            elif not path.exists() or path.read_text() != text:
                failures.append(f"{path.relative_to(ROOT)} is not step {k} of Snippets/{name}.swift "
                                "(run Scripts/check_documentation.py --write)")
    if args.write:
        print("wrote the tutorial's code files")
        return 0

    outputs = {}
    checked_outputs = 0
    for document in documents():
        lines = document.read_text().split("\n")
        where = document.relative_to(ROOT)
        for i, line in enumerate(lines):
            # 1. Printed output.
            match = re.search(r"`swift run (\w+)` prints", line)
            if "prints" in line and "`swift run" in line and not (match and line.rstrip().endswith("prints:")):
                failures.append(f"{where}:{i + 1}: write a quoted output as \"`swift run NAME` prints:\" "
                                "so that it is checked")
            if match and line.rstrip().endswith(":"):
                name = match.group(1)
                block, _ = fenced_block_after(lines, i + 1)
                if block is None:
                    failures.append(f"{where}:{i + 1}: no fenced block after `swift run {name}` prints:")
                    continue
                if run_snippet(name, build, outputs, failures) is None:
                    continue
                if block != outputs[name]:
                    failures.append(f"{where}:{i + 1}: the block differs from what {name} prints:\n"
                                    f"--- the document\n{block}\n--- {name}\n{outputs[name]}")
                checked_outputs += 1
            # 1c. Swift in the catalogues is a snippet (@Snippet), so that it is compiled;
            # only a package manifest, which no snippet can be, may be written out.
            if document.suffix == ".md" and document != ROOT / "README.md" and line.strip() == "```swift":
                if i + 1 >= len(lines) or lines[i + 1].strip() != "// Package.swift":
                    failures.append(f"{where}:{i + 1}: Swift code in an article must be a snippet "
                                    "(Snippets/NAME.swift, shown with @Snippet) so that CI compiles it")
            if document == ROOT / "README.md" and line.strip() == "```swift":
                previous = next((l.strip() for l in reversed(lines[:i]) if l.strip()), "")
                if not previous.startswith("<!-- snippet:"):
                    failures.append(f"{where}:{i + 1}: Swift code in the README must be a snippet "
                                    "(<!-- snippet: NAME --> before it) so that CI compiles it")
            # 2. README code that is a snippet.
            match = re.match(r"<!-- snippet: (\w+) -->", line.strip())
            if match:
                block, _ = fenced_block_after(lines, i + 1)
                if block is None or block.strip("\n") != snippet_body(match.group(1)):
                    failures.append(f"{where}:{i + 1}: the code block is not Snippets/{match.group(1)}.swift "
                                    "(less its leading comments)")

    # 1b. In the tutorial, "prints `LINE`" (and "then `LINE`" after it) quotes one line of
    # what the step's program prints: the snippet its next @Code file is cut from.
    for document in documents():
        if document.suffix != ".tutorial":
            continue
        text = document.read_text()
        for match in re.finditer(r"(?:prints|then)\s+`([^`]+)`", text):
            code = re.compile(r'@Code\(name: "[^"]*", file: "(\w+)-\d+\.swift"\)').search(text, match.end())
            line_number = text.count("\n", 0, match.start()) + 1
            if code is None:
                failures.append(f"{document.relative_to(ROOT)}:{line_number}: no @Code after the printed line")
                continue
            output = run_snippet(code.group(1), build, outputs, failures)
            if output is not None:
                if match.group(1) not in output.split("\n"):
                    failures.append(f"{document.relative_to(ROOT)}:{line_number}: {code.group(1)} does not print "
                                    f"\"{match.group(1)}\":\n{output}")
                checked_outputs += 1

    # 4. Lab figures.
    checked_figures = 0
    if args.lab_results:
        results = json.loads(pathlib.Path(args.lab_results).read_text())
        for file, template in FIGURES:
            path = CATALOGUES[0] / file
            text = fill(template, results)
            if normalise(text) not in normalise(path.read_text()):
                failures.append(f"{path.relative_to(ROOT)}: expected the lab's figures: \"{text}\"")
            checked_figures += 1

    if args.coverage:
        coverage(args.coverage, failures)

    for failure in failures:
        print("error:", failure, file=sys.stderr)
    print(f"documentation check: {checked_outputs} printed outputs, {checked_figures} lab figures, "
          f"{sum(map(len, steps.values()))} tutorial steps; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
