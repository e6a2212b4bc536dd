#!/usr/bin/env python3
"""Browser check of `dendrite playground` (docs/playground-protocol.md) in headless Chromium.

Starts `dendrite playground --port 0`, reads its URL line, and in Chromium (Selenium):
loads `#dataset=xor&loss=sigmoid-cross-entropy&play=1` and waits for `epoch` to advance and
`train-loss` to change; switches the loss; pauses, resets (epoch 0) and steps (epoch 1);
runs a race (`compare=loss`); loads each preset; clicks export and waits for the model file
in Chrome's download folder; checks that the browser console has no errors and that the
page fits 400 px; saves screenshots at 1280x800 and 400x800 into OUTPUT_DIR; finally
sends SIGINT and expects exit 0. Exits non-zero with a message on the first failure.

Needs: apt-get install -y chromium chromium-driver; pip install selenium.

    swift build && python3 Scripts/playground_browser_check.py /tmp/playground-shots
    python3 Scripts/playground_browser_check.py OUT --dendrite .build/debug/dendrite
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
except ImportError:
    sys.exit("playground_browser_check: needs Selenium (pip install selenium) and Chromium (apt-get install chromium chromium-driver)")

PRESETS = ["saturated-neuron", "mse-vs-cross-entropy", "deep-sigmoid", "init-normal-vs-he"]


class CheckFailed(Exception):
    """A check that did not hold: the message says which and what was seen."""


def fail(message):
    raise CheckFailed(message)


def wait_for(what, condition, seconds=15.0, interval=0.1):
    """Polls `condition` until it returns a truthy value; fails naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # the page may be between states
            last_error = error
        time.sleep(interval)
    fail(f"timed out after {seconds:.0f} s waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def find_dendrite(explicit):
    if explicit:
        return explicit
    root = pathlib.Path(__file__).resolve().parent.parent
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    return str(pathlib.Path(bin_path) / "dendrite")


def start_server(dendrite):
    process = subprocess.Popen([dendrite, "playground", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line or process.poll() is not None:
            break
    prefix = "Dendrite playground: "
    if not line.startswith(prefix):
        process.kill()
        fail(f"expected the line '{prefix}http://HOST:PORT/' on stdout, got {line!r}; stderr: {process.stderr.read()!r}")
    url = line[len(prefix):].strip()
    if not (url.startswith("http://127.0.0.1:") and url.endswith("/")) or url.endswith(":0/"):
        fail(f"the printed URL {url!r} is not http://127.0.0.1:PORT/ with the bound port")
    return process, url


def make_driver(download_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800", "--hide-scrollbars"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir), "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def viewport(driver, width, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def choose(driver, element_id, value):
    """Selects `value` in the select `element_id` (by value, else by its text) and returns it."""
    select = Select(driver.find_element(By.ID, element_id))
    for option in select.options:
        if option.get_attribute("value") == value:
            option.click()
            return value
    fail(f"#{element_id} has no option {value!r}")


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text.strip()


def number(driver, element_id):
    value = text(driver, element_id)
    try:
        return float(value)
    except ValueError:
        fail(f"#{element_id} should hold a plain number, holds {value!r}")


def epoch_advances(driver, element_id="epoch", by=3):
    start = number(driver, element_id)
    wait_for(f"#{element_id} to advance by {by} from {start}", lambda: number(driver, element_id) >= start + by)


def status_error(driver):
    status = driver.find_element(By.ID, "status")
    return status.text.strip() if status.is_displayed() else ""


def check_console(driver, where):
    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    if errors:
        fail(f"browser console errors {where}: " + "; ".join(entry.get("message", "") for entry in errors))


def run_checks(driver, url, out, download_dir):
    viewport(driver, 1280, 800)
    driver.get(url + "#dataset=xor&loss=sigmoid-cross-entropy&play=1")
    wait_for("the page to connect", lambda: text(driver, "connection") == "connected")
    wait_for("#epoch to pass 0", lambda: number(driver, "epoch") > 0)
    first_loss = text(driver, "train-loss")
    epoch_advances(driver)
    wait_for("#train-loss to change", lambda: text(driver, "train-loss") != first_loss)
    if driver.find_element(By.ID, "play").get_attribute("aria-pressed") != "true":
        fail("#play should be pressed while training")
    if Select(driver.find_element(By.ID, "dataset")).first_selected_option.get_attribute("value") != "xor":
        fail("the hash's dataset=xor did not reach the #dataset control")
    time.sleep(0.5)
    driver.save_screenshot(str(out / "playground-1280x800.png"))
    check_console(driver, "after loading xor")

    # The loss control: the hash follows and training restarts.
    choose(driver, "loss", "mse")
    wait_for("loss=mse in the hash", lambda: "loss=mse" in driver.execute_script("return location.hash"))
    epoch_advances(driver)
    wait_for("the advisor's warning for MSE", lambda: "warning" in text(driver, "advice").lower(), seconds=5)

    # Pause, reset, step.
    driver.find_element(By.ID, "play").click()
    wait_for("#play to show paused", lambda: driver.find_element(By.ID, "play").get_attribute("aria-pressed") == "false")
    driver.find_element(By.ID, "reset").click()
    wait_for("#epoch to be 0 after reset", lambda: number(driver, "epoch") == 0)
    time.sleep(0.3)
    if number(driver, "epoch") != 0:
        fail("training went on after pause + reset")
    driver.find_element(By.ID, "step").click()
    wait_for("#epoch to be 1 after one step", lambda: number(driver, "epoch") == 1)

    # A race.
    driver.get(url + "#dataset=xor&compare=loss&compareWith=mse&play=1")
    wait_for("#epoch-b to show", lambda: driver.find_element(By.ID, "epoch-b").is_displayed())
    epoch_advances(driver, "epoch-b")
    number(driver, "train-loss-b")
    number(driver, "test-loss-b")
    time.sleep(0.5)
    driver.save_screenshot(str(out / "playground-race-1280x800.png"))
    check_console(driver, "in the race")

    # Each preset, through the select, while playing.
    driver.get(url + "#dataset=circle&play=1")
    epoch_advances(driver)
    for preset in PRESETS:
        choose(driver, "preset", preset)
        wait_for(f"preset={preset} in the hash", lambda: f"preset={preset}" in driver.execute_script("return location.hash"))
        epoch_advances(driver, by=2)
        message = status_error(driver)
        if message:
            fail(f"preset {preset}: the server answered an error: {message}")
        driver.save_screenshot(str(out / f"playground-preset-{preset}.png"))
    check_console(driver, "after the presets")

    # Export: a file in the download folder and a note or command line on the page.
    driver.get(url + "#dataset=xor&play=1")
    epoch_advances(driver)
    driver.find_element(By.ID, "export").click()
    downloaded = wait_for("playground.safetensors in the download folder",
                          lambda: [p for p in download_dir.glob("playground*.safetensors") if p.stat().st_size > 0])
    wait_for("the export note", lambda: text(driver, "command-line") != "")

    # 400 px wide: nothing wider than the screen.
    viewport(driver, 400, 800)
    driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.6)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    driver.save_screenshot(str(out / "playground-400x800.png"))
    if width > 401:
        fail(f"at 400 px the page is {width} px wide (horizontal scrolling)")
    check_console(driver, "at the end")
    return downloaded[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="folder for the screenshots (created)")
    parser.add_argument("--dendrite", help="the dendrite binary (default: swift build --show-bin-path)/dendrite")
    args = parser.parse_args()
    out = pathlib.Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    download_dir = pathlib.Path(tempfile.mkdtemp(prefix="playground-downloads-"))
    server, driver = None, None
    try:
        binary = find_dendrite(args.dendrite)
        server, url = start_server(binary)
        driver = make_driver(download_dir)
        model = run_checks(driver, url, out, download_dir)
        # The exported file is a Dendrite model file: `dendrite inspect` reads it.
        inspected = subprocess.run([str(binary), "inspect", str(model)], capture_output=True, text=True, timeout=60)
        if inspected.returncode != 0 or "dense in 2, out 4" not in inspected.stdout:
            fail(f"dendrite inspect {model.name} failed ({inspected.returncode}): {inspected.stdout}{inspected.stderr}")
        # Ctrl-C with the page still open and training: a clean stop, exit 0.
        driver.get(url + "#dataset=circle&play=1")
        epoch_advances(driver)
        stopping = time.monotonic()
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            fail("the server did not stop within 15 s of SIGINT")
        if code != 0:
            fail(f"the server exited {code} after SIGINT, expected 0; stderr: {server.stderr.read()!r}")
        stopped = time.monotonic() - stopping
        server = None
        print(f"playground browser check: passed (screenshots in {out}, exported {model.name}, "
              f"{model.stat().st_size} bytes; SIGINT with a page open: exit 0 in {stopped:.2f} s)")
        return 0
    except Exception as error:  # a failed check, or Selenium / the server giving out
        if driver:
            try:
                driver.save_screenshot(str(out / "playground-failure.png"))
            except Exception:
                pass
        kind = "" if isinstance(error, CheckFailed) else f"{type(error).__name__}: "
        print(f"playground browser check: FAILED: {kind}{error}", file=sys.stderr)
        return 1
    finally:
        if driver:
            driver.quit()

        if server and server.poll() is None:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
