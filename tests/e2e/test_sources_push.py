#!/usr/bin/env python3
"""End-to-end tests of issue 4 on real services: sources, plugins,
additions, safe extraction, push, the remaining build options, Ctrl-C and
podman.

The services come from tests/harness/services.sh (CTest fixture
'services'); their addresses are read from the file named by
KB_TEST_SERVICES_ENV. The HTTP servers a url source needs and a registry
that wants a password are started by the tests themselves, on 127.0.0.1.
Every test asserts what a user sees: the exit status, the summary JSON, the
terminal, the log files, the images in the engine (their files and labels)
and the registry's HTTP API; never how long anything took.

Usage: test_sources_push.py KOLLA_BUILD REPO_ROOT [unittest args]
"""
import base64
import functools
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import warnings

with warnings.catch_warnings():
    warnings.simplefilter('ignore', DeprecationWarning)
    import crypt  # bcrypt through libxcrypt, for the htpasswd registry

from e2e_common import (SERVICES, load_services, docker, image_exists,
                        labels_of, sh_in, cat_in, write, read)

KOLLA_BUILD = None
REPO = None


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@e',
               GIT_COMMITTER_NAME='t', GIT_COMMITTER_EMAIL='t@e')
    return subprocess.run(['git', '-C', cwd] + list(args), check=True,
                          capture_output=True, text=True, env=env).stdout


def make_git_repo(path, files_at_tag, tag, later_files):
    """A repository whose `tag` holds files_at_tag; a later commit on the
    branch changes them, so a checkout at the tag can be told apart."""
    os.makedirs(path)
    git(path, 'init', '-q', '-b', 'main')
    for name, text in files_at_tag.items():
        write(os.path.join(path, name), text)
    git(path, 'add', '-A')
    git(path, 'commit', '-q', '-m', 'first')
    git(path, 'tag', tag)
    for name, text in later_files.items():
        write(os.path.join(path, name), text)
    git(path, 'add', '-A')
    git(path, 'commit', '-q', '-m', 'later')


def make_tar(path, members):
    """members: (name, text) for files, (name, None, target) for symlinks."""
    with tarfile.open(path, 'w:gz') as tar:
        for m in members:
            info = tarfile.TarInfo(m[0])
            info.mtime = 0
            if len(m) == 3:
                info.type = tarfile.SYMTYPE
                info.linkname = m[2]
                tar.addfile(info)
            else:
                data = m[1].encode()
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))


def sha256_of(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def free_port():
    """A port nothing listens on (bound, then released)."""
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class BacklogHTTPServer(http.server.ThreadingHTTPServer):
    # Every build thread may download at once; the default backlog is 5.
    request_queue_size = 128


class FileServer:
    """Python's http.server on 127.0.0.1, serving one folder."""

    def __init__(self, root):
        handler = functools.partial(QuietHandler, directory=root)
        self.httpd = BacklogHTTPServer(('127.0.0.1', 0), handler)
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class StallServer:
    """Accepts connections and never answers: a download that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.url = 'http://127.0.0.1:%d' % self.sock.getsockname()[1]
        self.conns = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def stop(self):
        # shutdown() wakes the blocked accept(). A bare close() does not:
        # the thread would go on accepting on whatever socket reuses the
        # descriptor (the next test's HTTP server), and stall it.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=30)
        self.sock.close()
        for c in self.conns:
            c.close()


def registry_tags(registry, repo, auth=None):
    """The tags of `repo` from the registry's HTTP API, or None on 404."""
    req = urllib.request.Request('http://%s/v2/%s/tags/list' % (registry,
                                                                repo))
    if auth:
        req.add_header('Authorization',
                       'Basic ' + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)['tags']
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def unique_ns(prefix):
    return '%s%d' % (prefix, int(time.time() * 1000) % 10**9)


def run_kb(args, home, env=None, timeout=600):
    full_env = {'PATH': os.environ['PATH'], 'HOME': home,
                'DOCKER_HOST': SERVICES['DOCKER_HOST']}
    full_env.update(env or {})
    return subprocess.run([KOLLA_BUILD] + list(args), capture_output=True,
                          text=True, env=full_env, timeout=timeout)


def summary_of(res):
    # The JSON summary is the last line of stdout, with no newline.
    return json.loads(res.stdout.strip().splitlines()[-1])


def names(summary, key):
    return sorted(e['name'] for e in summary[key])


def statuses(summary):
    """{name: status} over every list of the summary; built is 'built'."""
    out = {}
    for key in ('built', 'not_matched', 'skipped', 'unbuildable'):
        for e in summary[key]:
            out[e['name']] = key
    for e in summary['failed']:
        out[e['name']] = e['status']
    return out


BASE_J2 = ('FROM {{ base_image }}:{{ base_distro_tag }}\n'
           'RUN echo base > /base\n')


def child_j2(parent, body):
    return ('FROM {{ namespace }}/{{ image_prefix }}%s:{{ tag }}\n%s'
            % (parent, body))


class SourcesPushTest(unittest.TestCase):
    """One build of a tree where every kind of source works or fails on
    purpose, pushed to the registry; the test methods look at its result.

    Works: a url tarball (sha256 right for amd64, wrong for arm64), a git
    tag cloned through file://, a local folder and a local file through
    $locals_base, a disabled source, url and git plugins and a local
    addition. Fails: a wrong checksum, an unreachable url, a missing git
    reference, a plugin escaping through '../' and one through a symlink;
    each has a child.
    """

    FAILING = ['bad-sha', 'bad-url', 'bad-git', 'bad-dotdot', 'bad-link']
    GOOD = ['base', 'src-url', 'src-git', 'src-local', 'src-file', 'src-off',
            'with-plugins']

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='kb-e2e-src-')
        # Cleanups run even when setUpClass fails (tearDownClass does not).
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        t = cls.tmp
        cls.ns = unique_ns('e2esrc')
        cls.reg = SERVICES['KB_TEST_REGISTRY']
        cls.tag = 'src'
        www = os.path.join(t, 'www')
        os.makedirs(www)
        make_tar(os.path.join(www, 'srcurl.tar.gz'),
                 [('srcurl/hello.txt', 'hello from url\n')])
        make_tar(os.path.join(www, 'plugin-a.tar.gz'),
                 [('plugin-a/a.txt', 'plugin a\n')])
        cls.outside = os.path.join(t, 'outside')
        os.makedirs(cls.outside)
        make_tar(os.path.join(www, 'evil-dotdot.tar.gz'),
                 [('fine.txt', 'fine\n'),
                  ('../../../escaped-dotdot.txt', 'escaped\n')])
        make_tar(os.path.join(www, 'evil-link.tar.gz'),
                 [('link', None, cls.outside),
                  ('link/escaped-link.txt', 'escaped\n')])
        good = sha256_of(os.path.join(www, 'srcurl.tar.gz'))
        wrong = '0' * 64
        cls.http = FileServer(www)
        cls.addClassCleanup(cls.http.stop)
        url = cls.http.url
        locals_base = os.path.join(t, 'locals')
        write(os.path.join(locals_base, 'localdir', 'file.txt'), 'local dir\n')
        write(os.path.join(locals_base, 'note.txt'), 'a local file\n')
        write(os.path.join(locals_base, 'extra', 'x.txt'), 'addition x\n')
        make_git_repo(os.path.join(t, 'repo'), {'README': 'at v1\n'}, 'v1',
                      {'README': 'later\n'})
        repo = 'file://' + os.path.join(t, 'repo')

        d = os.path.join(t, 'tree', 'docker')
        cls.docker_dir = d
        write(os.path.join(d, 'base', 'Dockerfile.j2'), BASE_J2)
        for name in ('src-url', 'src-git', 'src-local', 'src-file'):
            write(os.path.join(d, name, 'Dockerfile.j2'),
                  child_j2('base', 'ADD %s-archive /src/\n' % name))
        write(os.path.join(d, 'src-off', 'Dockerfile.j2'),
              child_j2('base', 'COPY . /ctx/\nADD plugins-archive /p/\n'
                       'ADD additions-archive /a/\n'))
        write(os.path.join(d, 'with-plugins', 'Dockerfile.j2'),
              child_j2('base', 'ADD plugins-archive /p/\n'
                       'ADD additions-archive /a/\n'))
        for name in cls.FAILING:
            write(os.path.join(d, name, 'Dockerfile.j2'),
                  child_j2('base', 'COPY . /ctx/\n'))
            write(os.path.join(d, name + '-child', 'Dockerfile.j2'),
                  child_j2(name, 'RUN true\n'))
        conf = os.path.join(t, 'kolla-build.conf')
        write(conf, '\n'.join([
            '[src-url]', 'type = url', 'location = %s/srcurl.tar.gz' % url,
            'sha256 = amd64:%s,arm64:%s' % (good, wrong),
            '[src-git]', 'type = git', 'location = ' + repo,
            'reference = v1',
            '[src-local]', 'type = local',
            'location = $locals_base/localdir',
            '[src-file]', 'type = local', 'location = $locals_base/note.txt',
            '[src-off]', 'type = url', 'location = %s/nothing.tar' % url,
            'enabled = false',
            '[with-plugins-plugin-a]', 'type = url',
            'location = %s/plugin-a.tar.gz' % url,
            '[with-plugins-plugin-b]', 'type = git', 'location = ' + repo,
            'reference = v1',
            '[with-plugins-plugin-off]', 'type = url',
            'location = %s/missing.tar.gz' % url, 'enabled = false',
            '[with-plugins-additions-x]', 'type = local',
            'location = $locals_base/extra',
            '[bad-sha]', 'type = url', 'location = %s/srcurl.tar.gz' % url,
            'sha256 = amd64:%s,arm64:%s' % (wrong, good),
            '[bad-url]', 'type = url',
            'location = http://127.0.0.1:%d/gone.tar.gz' % free_port(),
            '[bad-git]', 'type = git', 'location = ' + repo,
            'reference = no-such-ref',
            '[bad-dotdot-plugin-evil]', 'type = url',
            'location = %s/evil-dotdot.tar.gz' % url,
            '[bad-link-plugin-evil]', 'type = url',
            'location = %s/evil-link.tar.gz' % url,
            '']))
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        cls.logs = os.path.join(t, 'logs')
        cls.work = os.path.join(t, 'work')
        cls.conf = conf
        cls.common = ['--config-file', conf, '--images-dir', d,
                      '--locals-base', locals_base,
                      '--base-image', name, '--base-tag', tag,
                      '--namespace', cls.ns, '--nopull', '--retries', '0',
                      '--tag', cls.tag]
        cls.res = run_kb(cls.common + [
            '--logs-dir', cls.logs, '--work-dir', cls.work,
            '--push', '--registry', cls.reg, '--push-threads', '2'], home=t)
        cls.summary = summary_of(cls.res)

    def ref(self, image):
        return '%s/%s/%s:%s' % (self.reg, self.ns, image, self.tag)

    def test_summary_lists_every_image_with_its_status(self):
        self.assertEqual(self.res.returncode, 1, self.res.stderr)
        want = {n: 'built' for n in self.GOOD}
        for n in self.FAILING:
            want[n] = 'error'
            want[n + '-child'] = 'parent_error'
        self.assertEqual(statuses(self.summary), want, self.res.stderr)
        self.assertEqual(self.summary['skipped'], [])
        # Terminal: each failed image says why, each child names its cause.
        for n in self.FAILING:
            self.assertRegex(self.res.stderr,
                             r'(?m)^%s: error: .*\(error\)$' % n)
            self.assertRegex(self.res.stderr,
                             r'(?m)^%s-child: error: .*\(parent_error\)$' % n)
            self.assertEqual(
                os.readlink(os.path.join(self.logs,
                                         '000_FAILED_%s.log' % n)),
                '%s.log' % n)
            self.assertFalse(image_exists(self.ref(n)))
            self.assertFalse(image_exists(self.ref(n + '-child')))

    def test_failure_messages_name_the_cause(self):
        err = self.res.stderr
        line = {n: re.search(r'(?m)^%s: error: (.*)$' % n, err).group(1)
                for n in self.FAILING}
        self.assertIn('sha256', line['bad-sha'])
        self.assertIn('gone.tar.gz', line['bad-url'])
        self.assertIn('no-such-ref', line['bad-git'])
        self.assertIn('../../../escaped-dotdot.txt', line['bad-dotdot'])
        # The link itself is refused, before anything is written through it.
        self.assertIn("unsafe member 'link'", line['bad-link'])

    def test_url_source_lands_in_the_image(self):
        self.assertEqual(cat_in(self.ref('src-url'), '/src/srcurl/hello.txt'),
                         'hello from url\n')

    def test_git_source_is_checked_out_at_its_reference(self):
        self.assertEqual(
            cat_in(self.ref('src-git'), '/src/src-git-archive-v1/README'),
            'at v1\n')

    def test_local_folder_and_file_through_locals_base(self):
        self.assertEqual(cat_in(self.ref('src-local'),
                                '/src/localdir/file.txt'), 'local dir\n')
        self.assertEqual(cat_in(self.ref('src-file'),
                                '/src/src-file-archive'), 'a local file\n')

    def test_disabled_source_is_not_fetched_and_empty_archives_exist(self):
        ctx = sh_in(self.ref('src-off'), 'ls /ctx').split()
        self.assertIn('plugins-archive', ctx)
        self.assertIn('additions-archive', ctx)
        self.assertIn('Dockerfile', ctx)
        self.assertNotIn('src-off-archive', ctx)
        self.assertEqual(sh_in(self.ref('src-off'),
                               'ls -A /p/plugins /a/additions'),
                         '/a/additions:\n\n/p/plugins:\n')

    def test_plugins_and_additions_are_merged(self):
        ref = self.ref('with-plugins')
        self.assertEqual(cat_in(ref, '/p/plugins/plugin-a/a.txt'),
                         'plugin a\n')
        self.assertEqual(
            cat_in(ref, '/p/plugins/with-plugins-plugin-b-archive-v1/README'),
            'at v1\n')
        self.assertEqual(cat_in(ref, '/a/additions/extra/x.txt'),
                         'addition x\n')
        self.assertEqual(sorted(sh_in(ref, 'ls /p/plugins').split()),
                         ['plugin-a', 'with-plugins-plugin-b-archive-v1'])

    def test_nothing_is_written_outside_the_image_folder(self):
        self.assertEqual(os.listdir(self.outside), [])
        found = []
        for root, dirs, files in os.walk(self.tmp):
            found += [os.path.join(root, f) for f in files
                      if f.startswith('escaped-')]
        for f in found:  # only inside the failed image's own folder
            self.assertTrue(f.startswith(os.path.join(
                self.work, 'docker', 'bad-')), found)

    def test_sha256_is_picked_by_debian_arch(self):
        # With arm64, the sums that were right become wrong and back.
        res = run_kb(self.common + ['--debian-arch', 'arm64', '--tag', 'arm',
                                    '--registry', self.reg,
                                    '^src-url$', '^bad-sha$'], home=self.tmp)
        st = {k: v for k, v in statuses(summary_of(res)).items()
              if v != 'not_matched'}
        self.assertEqual(st, {'base': 'built', 'src-url': 'error',
                              'bad-sha': 'built'}, res.stderr)
        self.assertRegex(res.stderr, r'(?m)^src-url: error: .*sha256')

    def test_built_images_are_pushed_as_soon_as_built(self):
        for n in self.GOOD:
            self.assertEqual(registry_tags(self.reg, '%s/%s' % (self.ns, n)),
                             [self.tag], n)
        for n in self.FAILING:
            self.assertIsNone(registry_tags(self.reg,
                                            '%s/%s' % (self.ns, n)))
        err = self.res.stderr.splitlines()
        pushed_base = err.index('base: pushed')
        last_built = max(i for i, l in enumerate(err)
                         if re.match(r'[a-z-]+: built in ', l))
        self.assertLess(err.index('base: pushing'), last_built)
        self.assertIn('with-plugins: pushed', err)
        self.assertLess(pushed_base, len(err))

    def test_pulled_back_into_a_clean_engine(self):
        svc = tempfile.mkdtemp(prefix='kbsvc-pull-', dir='/tmp')
        os.rmdir(svc)
        harness = os.path.join(REPO, 'tests', 'harness', 'services.sh')
        env = dict(os.environ, KB_TEST_PODMAN='0')
        try:
            subprocess.run([harness, 'start', svc], check=True, env=env,
                           capture_output=True, timeout=300)
            host = re.search(r'(?m)^DOCKER_HOST=(.*)$',
                             read(os.path.join(svc, 'env'))).group(1)
            ref = self.ref('with-plugins')
            self.assertNotEqual(
                docker('image', 'inspect', ref, host=host,
                       check=False).returncode, 0)
            docker('pull', ref, host=host)
            self.assertEqual(cat_in(ref, '/a/additions/extra/x.txt',
                                    host=host), 'addition x\n')
            self.assertEqual(cat_in(ref, '/base', host=host), 'base\n')
        finally:
            subprocess.run([harness, 'stop', svc], env=env,
                           capture_output=True, timeout=300)


class AuthRegistry:
    """A docker-registry of our own that wants a user and password
    (htpasswd, bcrypt), on a free loopback port: the engine reaches it
    over plain HTTP because loopback registries need no TLS."""

    def __init__(self, root, user, password):
        os.makedirs(root)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH))
        write(os.path.join(root, 'htpasswd'), '%s:%s\n' % (user, hashed))
        write(os.path.join(root, 'config.yml'), '\n'.join([
            'version: 0.1', 'log:', '  level: info', 'storage:',
            '  filesystem:', '    rootdirectory: ' + root + '/data',
            'http:', '  addr: 127.0.0.1:0', '  secret: kb-auth-test', 'auth:',
            '  htpasswd:', '    realm: kb-test',
            '    path: ' + root + '/htpasswd', '']))
        self.log = os.path.join(root, 'registry.log')
        self.log_file = open(self.log, 'w')
        self.proc = subprocess.Popen(
            ['docker-registry', 'serve', os.path.join(root, 'config.yml')],
            stdout=self.log_file, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        self.address = None
        for _ in range(120):
            m = re.search(r'listening on 127\.0\.0\.1:(\d+)', read(self.log))
            if m:
                self.address = '127.0.0.1:' + m.group(1)
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.25)
        if not self.address:
            self.stop()
            raise AssertionError('auth registry did not start: ' +
                                 read(self.log))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


class PushAuthTest(unittest.TestCase):
    """Pushing to a registry that wants credentials: without them each push
    fails, is retried per --retries and ends as push_error; with them in
    ~/.docker/config.json the images arrive. The password never shows."""

    USER = 'kbuser'
    PASSWORD = 'S3cret-Pa55-9c1e'

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-auth-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.registry = AuthRegistry(os.path.join(self.tmp, 'registry'),
                                     self.USER, self.PASSWORD)
        self.addCleanup(self.registry.stop)
        self.reg = self.registry.address
        self.ns = unique_ns('e2eauth')
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'), BASE_J2)
        write(os.path.join(d, 'leaf', 'Dockerfile.j2'),
              child_j2('base', 'RUN echo leaf > /leaf\n'))
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        self.args = ['--images-dir', d, '--base-image', name, '--base-tag',
                     tag, '--namespace', self.ns, '--registry', self.reg,
                     '--push', '--nopull', '--debug']

    def secrets(self):
        pair = '%s:%s' % (self.USER, self.PASSWORD)
        return [self.PASSWORD, base64.b64encode(pair.encode()).decode(),
                base64.urlsafe_b64encode(pair.encode()).decode().rstrip('=')]

    def assert_no_secret(self, res, logs):
        seen = res.stdout + res.stderr
        for root, _, files in os.walk(logs):
            for f in files:
                seen += read(os.path.join(root, f))
        for secret in self.secrets():
            self.assertNotIn(secret, seen)
        # Nor the X-Registry-Auth value (base64 of a JSON with the password).
        for word in re.findall(r'[A-Za-z0-9+/_=-]{40,}', seen):
            try:
                decoded = base64.urlsafe_b64decode(
                    word + '=' * (-len(word) % 4))
            except ValueError:
                continue
            self.assertNotIn(self.PASSWORD.encode(), decoded)

    def test_push_without_credentials_is_push_error_after_retries(self):
        logs = os.path.join(self.tmp, 'logs')
        res = run_kb(self.args + ['--tag', 'anon', '--retries', '2',
                                  '--logs-dir', logs], home=self.tmp)
        self.assertEqual(res.returncode, 1, res.stderr)
        s = summary_of(res)
        self.assertEqual(statuses(s), {'base': 'push_error',
                                       'leaf': 'push_error'}, res.stderr)
        # Built, then each push tried 1 + --retries times.
        self.assertIn('leaf: built in ', res.stderr)
        for n in ('base', 'leaf'):
            tries = re.findall(r'(?m)^%s: warning: push attempt (\d) failed'
                               % n, res.stderr)
            self.assertEqual(tries, ['1', '2'], res.stderr)
            self.assertRegex(res.stderr,
                             r'(?m)^%s: error: .*\(push_error\)$' % n)
        # push_error is not 'error': no FAILED link.
        self.assertFalse(os.path.lexists(
            os.path.join(logs, '000_FAILED_base.log')))
        self.assertIsNone(registry_tags(self.reg, '%s/base' % self.ns,
                                        auth='%s:%s' % (self.USER,
                                                        self.PASSWORD)))

    def test_push_with_credentials_from_docker_config(self):
        pair = '%s:%s' % (self.USER, self.PASSWORD)
        write(os.path.join(self.tmp, '.docker', 'config.json'), json.dumps({
            'auths': {
                'other.example:5000': {'auth': base64.b64encode(
                    b'someone:else').decode()},
                self.reg: {'auth': base64.b64encode(pair.encode()).decode()},
            }}))
        logs = os.path.join(self.tmp, 'logs')
        res = run_kb(self.args + ['--tag', 'auth', '--logs-dir', logs],
                     home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(names(summary_of(res), 'built'), ['base', 'leaf'])
        for n in ('base', 'leaf'):
            self.assertEqual(registry_tags(self.reg, '%s/%s' % (self.ns, n),
                                           auth=pair), ['auth'])
        self.assert_no_secret(res, logs)


class OptionsTest(unittest.TestCase):
    """The options that show in the engine: one build of a small tree that
    is a git checkout, then reruns with the skip options."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='kb-e2e-opt-')
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        t = cls.tmp
        cls.ns = unique_ns('e2eopt')
        tree = os.path.join(t, 'tree')
        d = os.path.join(tree, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\n'
              'LABEL maintainer="{{ maintainer }}"\n'
              'COPY sources.list /etc/apt/sources.list\n'
              'COPY apt_preferences /etc/apt/preferences\n'
              'RUN echo "{{ base_arch }} {{ debian_arch }}" > /arch && '
              'cat /proc/net/dev > /netdev\n')
        write(os.path.join(d, 'args', 'Dockerfile.j2'),
              child_j2('base', 'ARG KB_ARG\nRUN echo "arg=$KB_ARG" > /arg\n'
                       'COPY patches /patches\n'))
        git(tree, 'init', '-q', '-b', 'main')
        git(tree, 'add', '-A')
        git(tree, 'commit', '-q', '-m', 'images')
        cls.revision = git(tree, 'rev-parse', 'HEAD').strip()
        patches = os.path.join(t, 'patches')
        write(os.path.join(patches, 'args', 'series'),
              '# applied in order\nfix.patch\nmissing.patch\n')
        write(os.path.join(patches, 'args', 'fix.patch'), '--- a\n+++ b\n')
        write(os.path.join(patches, 'args', 'unlisted.patch'), 'no\n')
        write(os.path.join(t, 'sources.list'),
              'deb http://mirror.test/ x main\n')
        write(os.path.join(t, 'preferences'), 'Package: *\nPin: release a=x\n')
        conf = os.path.join(t, 'kolla-build.conf')
        # maintainer is a config file option only, as upstream's.
        write(conf, '[DEFAULT]\nmaintainer = Tester <t@example.org>\n'
              'apt_sources_list = %s\napt_preferences = %s\n'
              % (os.path.join(t, 'sources.list'),
                 os.path.join(t, 'preferences')))
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        cls.common = ['--config-file', conf, '--images-dir', d,
                      '--base-image', name, '--base-tag', tag,
                      '--namespace', cls.ns, '--nopull', '--tag', 'opt',
                      '--image-name-prefix', 'pre-',
                      '--build-args', 'KB_ARG:from-cli',
                      '--patches-path', patches,
                      '--network_mode', 'none', '--platform', 'linux/amd64',
                      '--base-arch', 'aarch64']
        cls.logs = os.path.join(t, 'logs')
        cls.res = run_kb(cls.common + ['--logs-dir', cls.logs], home=t)

    def ref(self, image):
        return '%s/pre-%s:opt' % (self.ns, image)

    def test_build_with_options(self):
        self.assertEqual(self.res.returncode, 0, self.res.stderr)
        self.assertEqual(names(summary_of(self.res), 'built'),
                         ['args', 'base'])
        # --image-name-prefix names the images.
        self.assertTrue(image_exists(self.ref('args')))
        self.assertFalse(image_exists('%s/args:opt' % self.ns))

    def test_build_args_reach_the_build(self):
        self.assertEqual(cat_in(self.ref('args'), '/arg'), 'arg=from-cli\n')

    def test_base_arch_and_the_debian_arch_it_implies(self):
        self.assertEqual(cat_in(self.ref('base'), '/arch'), 'aarch64 arm64\n')

    def test_network_mode_none(self):
        ifaces = [l.split(':')[0].strip()
                  for l in cat_in(self.ref('base'), '/netdev').splitlines()
                  if ':' in l]
        self.assertEqual(ifaces, ['lo'])

    def test_patches_listed_in_series_are_copied(self):
        ref = self.ref('args')
        self.assertEqual(sorted(sh_in(ref, 'ls /patches').split()),
                         ['fix.patch', 'series'])
        self.assertEqual(cat_in(ref, '/patches/fix.patch'), '--- a\n+++ b\n')

    def test_apt_files_are_copied_into_base(self):
        ref = self.ref('base')
        self.assertEqual(cat_in(ref, '/etc/apt/sources.list'),
                         'deb http://mirror.test/ x main\n')
        self.assertEqual(cat_in(ref, '/etc/apt/preferences'),
                         'Package: *\nPin: release a=x\n')

    def test_labels(self):
        for image in ('base', 'args'):
            labels = labels_of(self.ref(image))
            self.assertEqual(labels['org.opencontainers.image.revision'],
                             self.revision)
            self.assertEqual(labels['org.opencontainers.image.source'],
                             'https://opendev.org/openstack/kolla')
            self.assertEqual(labels['org.opencontainers.image.authors'],
                             'Tester <t@example.org>')
            self.assertEqual(labels['maintainer'], 'Tester <t@example.org>')
            self.assertEqual(labels['org.opencontainers.image.title'], image)
            self.assertEqual(labels['org.opencontainers.image.version'],
                             'opt')
        img = json.loads(docker('image', 'inspect',
                                self.ref('args')).stdout)[0]
        self.assertEqual(img['Architecture'], 'amd64')

    def test_skip_existing_then_skip_parents_with_nocache_quiet(self):
        # Both images exist: --skip-existing builds nothing.
        res = run_kb(self.common + ['--skip-existing'], home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        s = summary_of(res)
        self.assertEqual(s['built'], [])
        self.assertEqual(names(s, 'skipped'), ['args', 'base'])
        self.assertIn('Images skipped due to build options', res.stderr)
        # --skip-parents: only the leaf; --nocache rebuilds it from scratch;
        # --quiet keeps the image lines off the terminal.
        logs = os.path.join(self.tmp, 'logs-nocache')
        before = docker('image', 'inspect', '--format', '{{.Id}}',
                        self.ref('args')).stdout
        res = run_kb(self.common + ['--skip-parents', '--nocache', '--quiet',
                                    '--logs-dir', logs, 'args'],
                     home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        s = summary_of(res)
        self.assertEqual(names(s, 'built'), ['args'])
        self.assertEqual(names(s, 'skipped'), ['base'])
        log = read(os.path.join(logs, 'args.log'))
        self.assertIn('Step 1/', log)
        self.assertNotIn('Using cache', log)
        self.assertNotIn('args:', res.stderr)
        self.assertIn('Successfully built images', res.stderr)
        after = docker('image', 'inspect', '--format', '{{.Id}}',
                       self.ref('args')).stdout
        self.assertNotEqual(before, after)

    def test_nosummary_and_debug(self):
        res = run_kb(self.common + ['--nosummary', '--debug'], home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertNotIn('Images skipped due to build options', res.stderr)
        self.assertIn('created work dir: ', res.stderr)
        # The JSON summary is still printed: --format json is the default.
        self.assertEqual(len(summary_of(res)['skipped']), 2)


class FailureOptionsTest(unittest.TestCase):
    """--allowed-to-fail, --keep, --timeout, unbuildable images and
    --enable-unbuildable, --squash and rpm_setup_config."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='kb-e2e-fail-')
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        t = cls.tmp
        cls.ns = unique_ns('e2efail')
        cls.stall = StallServer()
        cls.addClassCleanup(cls.stall.stop)
        d = os.path.join(t, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              BASE_J2 + '{% for cmd in rpm_setup %}{{ cmd }}\n{% endfor %}')
        # tgtd is unbuildable on centos (upstream's list), so is its child.
        write(os.path.join(d, 'tgtd', 'Dockerfile.j2'),
              child_j2('base', 'RUN echo tgtd > /tgtd\n'))
        write(os.path.join(d, 'tgtd-child', 'Dockerfile.j2'),
              child_j2('tgtd', 'RUN true\n'))
        write(os.path.join(d, 'boom', 'Dockerfile.j2'),
              child_j2('base', 'RUN echo %s about to fail && exit 3\n'
                       % cls.ns))
        write(os.path.join(d, 'stall', 'Dockerfile.j2'),
              child_j2('base', 'ADD stall-archive /src/\n'))
        cls.conf = os.path.join(t, 'kolla-build.conf')
        write(cls.conf, '[DEFAULT]\nallowed_to_fail = boom,stall\n'
              '[stall]\ntype = url\nlocation = %s/slow.tar.gz\n'
              % cls.stall.url)
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        cls.common = ['--config-file', cls.conf, '--images-dir', d,
                      '--base', 'centos', '--base-image', name,
                      '--base-tag', tag, '--namespace', cls.ns, '--nopull',
                      '--tag', 'f', '--retries', '0']
        cls.res = run_kb(cls.common + ['--keep', '--timeout', '3'], home=t)

    def kept_containers(self):
        out = docker('ps', '-a', '--no-trunc', '--format',
                     '{{.ID}} {{.Command}}').stdout
        return [l.split()[0] for l in out.splitlines() if self.ns in l]

    def test_allowed_to_fail_exits_zero(self):
        self.assertEqual(self.res.returncode, 0, self.res.stderr)
        s = summary_of(self.res)
        self.assertEqual(statuses(s), {
            'base': 'built', 'boom': 'error', 'stall': 'error',
            'tgtd': 'unbuildable', 'tgtd-child': 'unbuildable'})
        self.assertIn('boom Failed with status: error (allowed to fail)',
                      self.res.stderr)
        self.assertIn('stall Failed with status: error (allowed to fail)',
                      self.res.stderr)
        self.assertIn('Images not buildable due to build options',
                      self.res.stderr)

    def test_timeout_bounds_a_stalled_download(self):
        self.assertRegex(self.res.stderr,
                         r'(?m)^stall: error: .*slow\.tar\.gz.*\(error\)$')

    def test_keep_leaves_the_failed_container_and_nokeep_removes_it(self):
        kept = self.kept_containers()
        self.assertEqual(len(kept), 1, kept)
        docker('rm', '-f', *kept)
        # Same failure without --keep: nothing is left. boom has no
        # children, so --skip-parents builds it alone.
        res = run_kb(self.common + ['--tag', 'f2', '--skip-parents', '^boom$'],
                     home=self.tmp)
        self.assertEqual(statuses(summary_of(res))['boom'], 'error',
                         res.stderr)
        self.assertEqual(self.kept_containers(), [])

    def test_enable_unbuildable(self):
        res = run_kb(self.common + ['--enable-unbuildable', '^tgtd$'],
                     home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        s = summary_of(res)
        self.assertEqual(names(s, 'built'), ['tgtd'])
        self.assertEqual(cat_in('%s/tgtd:f' % self.ns, '/tgtd'), 'tgtd\n')

    def test_squash_without_docker_squash_fails_before_any_build(self):
        if shutil.which('docker-squash'):
            self.skipTest('docker-squash is installed here')
        # Squashing needs the classic builder (upstream's rule), then the
        # tool; either way one line, exit 1, and nothing is built.
        for extra, words in ((['--nobuildkit'], "'docker-squash'"),
                             ([], 'mutually exclusive')):
            res = run_kb(self.common + ['--squash', '--tag', 'sq'] + extra,
                         home=self.tmp)
            self.assertEqual(res.returncode, 1, res.stderr)
            self.assertIn(words, res.stderr)
            self.assertEqual(res.stderr.count('\n'), 1, res.stderr)
            self.assertEqual(res.stdout, '')
            self.assertFalse(image_exists('%s/base:sq' % self.ns))

    def test_rpm_setup_config_lines_in_the_base_dockerfile(self):
        conf = os.path.join(self.tmp, 'rpm.conf')
        write(conf, '[DEFAULT]\nrpm_setup_config = '
              'http://repo.test/kb.repo,kb-local.repo,'
              'http://repo.test/kb-release.rpm\n')
        work = os.path.join(self.tmp, 'rpm-work')
        args = [a if a != self.conf else conf for a in self.common]
        res = run_kb(args + ['--template-only', '--work-dir', work],
                     home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertTrue(read(os.path.join(work, 'docker', 'base',
                                          'Dockerfile')).endswith(
            'RUN curl -L http://repo.test/kb.repo'
            ' -o /etc/yum.repos.d/kb.repo\n'
            'COPY kb-local.repo /etc/yum.repos.d/\n'
            'RUN dnf -y install http://repo.test/kb-release.rpm\n'))
        write(conf, '[DEFAULT]\nrpm_setup_config = notes.txt\n')
        res = run_kb(args + ['--template-only', '--work-dir', work],
                     home=self.tmp)
        self.assertEqual(res.returncode, 1)
        self.assertIn("'notes.txt'", res.stderr)


class PullTest(unittest.TestCase):
    """--pull asks the engine for the newest base image (roots only);
    --nopull builds on the one it has. The registry holds version A of the
    base, the engine a local version B under the same name."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-pull-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.ns = unique_ns('e2epull')
        reg = SERVICES['KB_TEST_REGISTRY']
        self.base = '%s/%s/base-os' % (reg, self.ns)
        for version in ('A', 'B'):
            name = '%s-%s' % (self.ns, version)
            docker('run', '--name', name, '--network', 'none',
                   SERVICES['KB_TEST_BASE_IMAGE'], 'sh', '-c',
                   'echo %s > /version' % version)
            docker('commit', name, self.base + ':v')
            docker('rm', name)
            if version == 'A':
                docker('push', self.base + ':v')
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\n'
              'RUN cp /version /seen\n')
        write(os.path.join(d, 'leaf', 'Dockerfile.j2'),
              child_j2('base', 'RUN cp /version /leaf-seen\n'))
        self.args = ['--images-dir', d, '--base-image', self.base,
                     '--base-tag', 'v', '--namespace', self.ns]

    def test_pull_and_nopull(self):
        res = run_kb(self.args + ['--nopull', '--tag', 'nopull'],
                     home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(cat_in('%s/base:nopull' % self.ns, '/seen'), 'B\n')
        res = run_kb(self.args + ['--pull', '--tag', 'pull'], home=self.tmp)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(names(summary_of(res), 'built'), ['base', 'leaf'])
        self.assertEqual(cat_in('%s/base:pull' % self.ns, '/seen'), 'A\n')
        self.assertEqual(cat_in('%s/leaf:pull' % self.ns, '/leaf-seen'),
                         'A\n')


class SquashTest(unittest.TestCase):
    """--squash runs docker-squash on each image after its build, from the
    parent's last layer (upstream's utils.squash). Debian has no
    docker-squash package, so a stand-in on PATH records how it is called
    and exits as told; the engine does the rest of the build for real."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-squash-')
        self.ns = unique_ns('e2esq')
        self.bin = os.path.join(self.tmp, 'bin')
        self.calls = os.path.join(self.tmp, 'calls')
        write(os.path.join(self.bin, 'docker-squash'),
              '#!/bin/sh\n'
              '[ "$1" = --version ] && { echo 1.2.0; exit 0; }\n'
              'echo "$*" >> "$KB_SQUASH_CALLS"\n'
              'echo squashed "$2"\n'
              'exit "${KB_SQUASH_EXIT:-0}"\n')
        os.chmod(os.path.join(self.bin, 'docker-squash'), 0o755)
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'), BASE_J2)
        write(os.path.join(d, 'leaf', 'Dockerfile.j2'),
              child_j2('base', 'RUN echo leaf > /leaf\n'))
        # Not ~/kolla-build.conf: that one is read by default.
        self.conf = os.path.join(self.tmp, 'squash.conf')
        write(self.conf, '[DEFAULT]\nsquash_cleanup = false\n'
              'squash_tmp_dir = %s/sq-tmp\n' % self.tmp)
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        self.args = ['--images-dir', d, '--base-image', name, '--base-tag',
                     tag, '--namespace', self.ns, '--nopull', '--squash',
                     '--nobuildkit', '--retries', '0']
        self.env = {'PATH': self.bin + ':' + os.environ['PATH'],
                    'KB_SQUASH_CALLS': self.calls}

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def image_id(self, ref):
        return docker('image', 'inspect', '--format', '{{.Id}}',
                      ref).stdout.strip()

    def test_each_image_is_squashed_from_its_parent(self):
        logs = os.path.join(self.tmp, 'logs')
        res = run_kb(self.args + ['--tag', 'sq', '--logs-dir', logs],
                     home=self.tmp, env=self.env)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(names(summary_of(res), 'built'), ['base', 'leaf'])
        base, leaf = '%s/base:sq' % self.ns, '%s/leaf:sq' % self.ns
        self.assertEqual(sorted(read(self.calls).splitlines()), sorted([
            '--tag %s %s --cleanup --from-layer %s' % (
                base, base, self.image_id(SERVICES['KB_TEST_BASE_IMAGE'])),
            '--tag %s %s --cleanup --from-layer %s' % (
                leaf, leaf, self.image_id(base)),
        ]))
        self.assertIn('base: squashing', res.stderr)
        self.assertIn('squashed %s' % leaf,
                      read(os.path.join(logs, 'leaf.log')))

    def test_config_options_and_a_failing_squash(self):
        res = run_kb(['--config-file', self.conf] + self.args +
                     ['--tag', 'sqf', '^base$'], home=self.tmp,
                     env=dict(self.env, KB_SQUASH_EXIT='3'))
        self.assertEqual(res.returncode, 1, res.stderr)
        self.assertEqual(statuses(summary_of(res))['base'], 'error')
        self.assertRegex(res.stderr,
                         r"(?m)^base: error: squashing failed: "
                         r"'docker-squash' exited with status 3 \(error\)$")
        base = '%s/base:sqf' % self.ns
        self.assertEqual(read(self.calls), '--tag %s %s --from-layer %s '
                         '--tmp-dir %s/sq-tmp\n' % (
                             base, base,
                             self.image_id(SERVICES['KB_TEST_BASE_IMAGE']),
                             self.tmp))


class LineReader:
    """Collects a pipe's lines in a thread; wait_for blocks until a line
    matches (bounded, so a broken run fails instead of hanging)."""

    def __init__(self, pipe):
        self.lines = []
        self.cv = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(pipe,),
                                       daemon=True)
        self.thread.start()

    def _read(self, pipe):
        for line in pipe:
            with self.cv:
                self.lines.append(line)
                self.cv.notify_all()

    def wait_for(self, pattern, timeout=120):
        with self.cv:
            ok = self.cv.wait_for(
                lambda: any(re.search(pattern, l) for l in self.lines),
                timeout)
        if not ok:
            raise AssertionError('no line matching %r in:\n%s'
                                 % (pattern, ''.join(self.lines)))

    def text(self):
        self.thread.join(timeout=30)
        return ''.join(self.lines)


class InterruptTest(unittest.TestCase):
    """Ctrl-C: the first stops new builds and lets the running one finish,
    the second cancels it; the summary is printed, the exit status is not
    0 and the temporary work dir is removed either way."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-int-')
        self.ns = unique_ns('e2eint')
        self.tmpdir = os.path.join(self.tmp, 'tmpdir')
        os.makedirs(self.tmpdir)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, seconds):
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'slow', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\n'
              'RUN echo %s slow && sleep %d && echo done > /done\n'
              % (self.ns, seconds))
        write(os.path.join(d, 'after', 'Dockerfile.j2'),
              child_j2('slow', 'RUN true\n'))
        write(os.path.join(d, 'other', 'Dockerfile.j2'),
              child_j2('slow', 'RUN true\n'))
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        env = {'PATH': os.environ['PATH'], 'HOME': self.tmp,
               'DOCKER_HOST': SERVICES['DOCKER_HOST'], 'TMPDIR': self.tmpdir}
        # One thread; slow is the only root.
        self.proc = subprocess.Popen(
            [KOLLA_BUILD, '--images-dir', d, '--base-image', name,
             '--base-tag', tag, '--namespace', self.ns, '--nopull',
             '--threads', '1', '--tag', 'i', '--retries', '0',
             # --debug streams the build output, so the test sees the slow
             # step start.
             '--debug'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        self.out = LineReader(self.proc.stdout)
        self.err = LineReader(self.proc.stderr)
        # The engine runs the slow step: the worker is inside the build.
        self.err.wait_for(r'^slow: .*%s slow' % self.ns)

    def finish(self):
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError('kolla-build did not stop:\n' +
                                 self.err.text())
        return self.out.text(), self.err.text()

    def test_first_interrupt_lets_the_running_build_finish(self):
        self.start(6)
        self.proc.send_signal(signal.SIGINT)
        out, err = self.finish()
        self.assertNotEqual(self.proc.returncode, 0, err)
        s = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(names(s, 'built'), ['slow'], err)
        self.assertEqual(names(s, 'skipped'), ['after', 'other'], err)
        self.assertEqual(s['failed'], [])
        self.assertIn('Successfully built images', err)
        self.assertEqual(cat_in('%s/slow:i' % self.ns, '/done'), 'done\n')
        self.assertFalse(image_exists('%s/other:i' % self.ns))
        self.assertEqual(os.listdir(self.tmpdir), [])

    def test_second_interrupt_cancels_the_running_build(self):
        self.start(300)
        self.proc.send_signal(signal.SIGINT)
        self.err.wait_for(r'interrupted')
        self.proc.send_signal(signal.SIGINT)
        out, err = self.finish()
        self.assertNotEqual(self.proc.returncode, 0, err)
        s = json.loads(out.strip().splitlines()[-1])
        # The cancelled build failed, so its children could not be built.
        self.assertEqual(statuses(s), {'slow': 'error',
                                       'after': 'parent_error',
                                       'other': 'parent_error'}, err)
        self.assertRegex(err, r'(?m)^slow: error: .*cancelled')
        self.assertIn('other: error: not built', err)
        self.assertFalse(image_exists('%s/slow:i' % self.ns))
        self.assertEqual(os.listdir(self.tmpdir), [])
        # The engine stops the build's container once the client is gone.
        for _ in range(120):
            out = docker('ps', '--no-trunc', '--format',
                         '{{.Command}}').stdout
            if self.ns not in out:
                break
            time.sleep(0.25)
        self.assertNotIn(self.ns, out)


def file_in_saved_image(ref, name, host):
    """The text of `name` in the newest layer of `ref` that has it."""
    env = dict(os.environ, DOCKER_HOST=host)
    saved = subprocess.run(['docker', 'save', ref], capture_output=True,
                           env=env, check=True).stdout
    found = None
    with tarfile.open(fileobj=io.BytesIO(saved)) as outer:
        manifest = json.load(outer.extractfile('manifest.json'))
        for layer in manifest[0]['Layers']:
            with tarfile.open(fileobj=outer.extractfile(layer)) as inner:
                for m in inner.getmembers():
                    if m.name.lstrip('./') == name and m.isfile():
                        found = inner.extractfile(m).read().decode()
    return found


class PodmanTest(unittest.TestCase):
    """--engine podman through `podman system service` of the harness."""

    def setUp(self):
        self.host = SERVICES.get('KB_TEST_PODMAN_HOST')
        if not self.host:
            self.skipTest('the harness has no podman service here')
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-podman-')
        self.ns = unique_ns('e2epod')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_build_on_podman(self):
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'), BASE_J2)
        write(os.path.join(d, 'leaf', 'Dockerfile.j2'),
              child_j2('base', 'ARG KB_ARG\nRUN echo "$KB_ARG" > /leaf\n'))
        name, tag = SERVICES['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
        res = run_kb(['--engine', 'podman', '--podman_base_url', self.host,
                      '--images-dir', d, '--base-image', name, '--base-tag',
                      tag, '--namespace', self.ns, '--nopull', '--tag', 'p',
                      '--build-args', 'KB_ARG:on-podman'],
                     home=self.tmp, env={'DOCKER_HOST': ''})
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(names(summary_of(res), 'built'), ['base', 'leaf'])
        ref = '%s/leaf:p' % self.ns
        # Not in docker: in podman, through its Docker-compatible API.
        self.assertFalse(image_exists(ref))
        labels = json.loads(docker('image', 'inspect', '--format',
                                   '{{json .Config.Labels}}', ref,
                                   host=self.host).stdout)
        self.assertEqual(labels['org.opencontainers.image.title'], 'leaf')
        # Containers cannot run under podman here (rlimits), so the file is
        # read from the image's layers, saved through the API.
        self.assertEqual(file_in_saved_image(ref, 'leaf', self.host),
                         'on-podman\n')


if __name__ == '__main__':
    KOLLA_BUILD, REPO = sys.argv[1], sys.argv[2]
    load_services()
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
