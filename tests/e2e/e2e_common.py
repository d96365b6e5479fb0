"""What the end-to-end tests share: the harness services' addresses and
helpers that look at the real engine through the docker command."""
import json
import os
import subprocess

# Filled by load_services() from the file KB_TEST_SERVICES_ENV names
# (tests/harness/services.sh writes it): DOCKER_HOST, KB_TEST_REGISTRY,
# KB_TEST_BASE_IMAGE, KB_TEST_PODMAN_HOST.
SERVICES = {}


def load_services():
    path = os.environ.get('KB_TEST_SERVICES_ENV', '')
    with open(path) as f:
        for line in f:
            if '=' in line:
                k, v = line.rstrip('\n').split('=', 1)
                SERVICES[k] = v


def docker(*args, check=True, host=None):
    env = dict(os.environ, DOCKER_HOST=host or SERVICES['DOCKER_HOST'])
    res = subprocess.run(['docker'] + list(args), capture_output=True,
                         text=True, env=env)
    if check and res.returncode != 0:
        raise AssertionError('docker %s: %s' % (' '.join(args), res.stderr))
    return res


def image_exists(ref):
    return docker('image', 'inspect', ref, check=False).returncode == 0


def labels_of(ref):
    out = docker('image', 'inspect', '--format', '{{json .Config.Labels}}',
                 ref).stdout
    return json.loads(out) or {}


def sh_in(ref, script, host=None):
    return docker('run', '--rm', '--network', 'none', ref, 'sh', '-c',
                  script, host=host).stdout


def cat_in(ref, path, host=None):
    return sh_in(ref, 'cat ' + path, host=host)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()
