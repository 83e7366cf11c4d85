"""Executes one notebook with Jupyter's own client (nbclient) and the kernel it names, as
`jupyter nbconvert --execute` would, for GenRM.Notebooks.NotebookRunner.

Usage: execute_notebook.py NOTEBOOK EXECUTED_COPY KERNEL_NAME CELL_TIMEOUT_SECONDS

Runs the cells in order in the notebook's folder, prints one JSON line per code cell
({"cell": n, "seconds": s, "error": null or text}), stops at the first failing cell, and writes the
executed copy (outputs up to the failure included) in every case. Exit codes: 0 all cells ran,
1 a cell failed, 3 Jupyter or the kernel is missing (the message says what to install).
"""
import json
import os
import sys
import time

try:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
except ImportError as missing:
    print(f"Jupyter's Python packages are missing ({missing}); run tools/install-prerequisites.sh", file=sys.stderr)
    sys.exit(3)


def describe(cell, failure):
    """The failure in one line: the exception's first line, and for a compilation error the
    compiler's errors, which the .NET kernel prints to the cell's standard error."""
    lines = [line.strip() for line in (failure.evalue or "").splitlines() if line.strip()]
    message = lines[0] if lines else (failure.ename or "failed")
    if message == "compilation error":
        diagnostics = [line.strip() for output in cell.outputs if output.output_type == "stream"
                       for line in output.text.splitlines() if "error CS" in line]
        message = " | ".join([message] + diagnostics[:5])
    return message


def main(source, target, kernel, timeout):
    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        print(f"no Jupyter kernel named {kernel}; run tools/install-prerequisites.sh "
              "(it installs Microsoft.dotnet-interactive and runs `dotnet interactive jupyter install`)", file=sys.stderr)
        return 3
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, kernel_name=kernel, timeout=timeout, record_timing=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
    status = 0
    try:
        with client.setup_kernel():
            info = client.wait_for_reply(client.kc.kernel_info())
            notebook.metadata["language_info"] = info["content"]["language_info"]
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                started = time.monotonic()
                error = None
                try:
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                except CellExecutionError as failure:
                    error = describe(cell, failure)
                print(json.dumps({"cell": index + 1, "seconds": round(time.monotonic() - started, 2), "error": error}), flush=True)
                if error is not None:
                    status = 1
                    break
    finally:
        nbformat.write(notebook, target)
    return status


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
