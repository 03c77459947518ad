"""JupyterHub for an RNN Lab course: one JupyterLab server per student, the Java kernel installed for everyone,
the lessons in every student's home, memory and CPU limits, and idle servers and kernels culled.

`hub/hub.py start` prepares what this file expects (the kernelspec, the proxy, the state folder) and runs
`jupyterhub -f hub/jupyterhub_config.py` with the RNNLAB_HUB_* variables below; hub/README.md explains every choice
and how to move from this single-machine set-up to systemd, Docker or Kubernetes (hub/k8s/config.yaml).

Settings a lecturer changes, each an environment variable read here (hub.py sets them from its options):

  RNNLAB_HUB_STATE          folder of the hub's state: database, cookie secret, kernel prefix, students' homes
  RNNLAB_HUB_KERNEL_PREFIX  where the `java` kernelspec is installed (default STATE/prefix)
  RNNLAB_HUB_IP, _PORT      where students connect (default 127.0.0.1:8000)
  RNNLAB_HUB_MEM_LIMIT      memory per student (default 1G); the kernel's heap is 75% of it
  RNNLAB_HUB_CPU_LIMIT      cores per student (default 1)
  RNNLAB_HUB_CULL_TIMEOUT   seconds of inactivity after which a student's server is stopped (default 3600)
  RNNLAB_HUB_KERNEL_CULL_TIMEOUT  seconds after which an idle kernel is shut down inside a server (default 1200)
  RNNLAB_HUB_MAVEN_REPO     one Maven repository the kernels of all students read the lessons' libraries from
                            (default: the hub account's ~/.m2/repository); fill it once with the library installed
  RNNLAB_HUB_LESSONS        folder copied into a student's home as `lessons/` on the first spawn (default:
                            the repository's notebooks/); empty: copy nothing (lessons come by nbgitpuller link)
  RNNLAB_HUB_AUTH           `dummy` (tests and demos: any name, the password below) or `oauth` (the
                            university's single sign-on, configured in RNNLAB_HUB_OAUTH_CONFIG, see the README)
  RNNLAB_HUB_DUMMY_PASSWORD the one password of the dummy authenticator (tests and demos only)
  RNNLAB_HUB_ADMINS         comma-separated user names who are hub admins (the lecturer)
"""
import os
import pathlib
import shutil
import sys

c = get_config()  # noqa: F821 -- JupyterHub defines get_config() for its config files

HUB_DIR = pathlib.Path(__file__).resolve().parent
ROOT = HUB_DIR.parent
STATE = pathlib.Path(os.environ.get("RNNLAB_HUB_STATE", HUB_DIR / "state")).resolve()
VENV_BIN = pathlib.Path(sys.executable).parent       # the hub's Python environment also serves the students
KERNEL_PREFIX = pathlib.Path(os.environ.get("RNNLAB_HUB_KERNEL_PREFIX", STATE / "prefix"))  # hub.py installs `java` here
HOMES = STATE / "home"


def _env(name, default):
    value = os.environ.get(name)
    return default if value is None or value == "" else value


# -- where the hub listens: the public URL on 127.0.0.1 for tests and demos; the hub's own API and the proxy's
# API on ports hub.py chose free, so that several hubs (tests, a demo) can run side by side.
c.JupyterHub.bind_url = f"http://{_env('RNNLAB_HUB_IP', '127.0.0.1')}:{_env('RNNLAB_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_env("RNNLAB_HUB_INTERNAL_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_env('RNNLAB_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [_env("RNNLAB_HUB_PROXY", str(HUB_DIR / "node_modules" / ".bin"
                                                                 / "configurable-http-proxy"))]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# A hub that stops stops every student's server (the default, stated because the no-JVM-left-behind guarantee
# relies on it together with the kernel's parent watch).
c.JupyterHub.cleanup_servers = True

# -- who logs in
auth = _env("RNNLAB_HUB_AUTH", "dummy")
if auth == "dummy":
    # Any user name, one shared password: for tests and a demo on 127.0.0.1 only, never on a network.
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = _env("RNNLAB_HUB_DUMMY_PASSWORD", "rnnlab")
    c.Authenticator.allow_all = True
elif auth == "oauth":
    # The university's single sign-on (oauthenticator, `pip install oauthenticator`): its settings
    # (client id, secret, URLs, allowed users) live in a file only the lecturer reads, see hub/README.md.
    c.JupyterHub.authenticator_class = "generic-oauth"
    load_subconfig(os.environ["RNNLAB_HUB_OAUTH_CONFIG"])  # noqa: F821 -- defined by traitlets' config loader
else:
    raise SystemExit(f"jupyterhub_config.py: RNNLAB_HUB_AUTH is '{auth}'; use 'dummy' (tests, demos) or 'oauth'")
c.Authenticator.admin_users = {name.strip() for name in _env("RNNLAB_HUB_ADMINS", "").split(",") if name.strip()}

# -- each student's server: Jupyter Server with JupyterLab, run from the hub's environment. On one machine the
# students share the hub's Unix account (SimpleLocalProcessSpawner: no system users to create, each student a
# home folder of their own); hub/README.md shows SystemdSpawner and DockerSpawner for real isolation.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180        # a class logging in at once on two cores: JupyterLab starts slowly
c.Spawner.http_timeout = 180

# Limits. JupyterHub passes them to the server as MEM_LIMIT and CPU_LIMIT; LocalProcessSpawner does NOT enforce
# them (SystemdSpawner, DockerSpawner and Kubernetes do). The kernel's heap follows the memory limit either way:
# its kernelspec says -XX:MaxRAMPercentage=75 instead of a fixed -Xmx, and here the JVM is told the student's
# memory is MEM_LIMIT (under a container's cgroup limit the JVM reads the limit itself).
c.Spawner.mem_limit = _env("RNNLAB_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(_env("RNNLAB_HUB_CPU_LIMIT", "1"))


MAVEN_REPO = os.environ.get("RNNLAB_HUB_MAVEN_REPO", "")


def _java_options(spawner):
    """JVM options for every java a student's server starts (the `java` launcher reads JDK_JAVA_OPTIONS): the
    memory the JVM may assume, so the kernel's heap is 75% of the limit, and the shared Maven repository."""
    options = [f"-XX:MaxRAM={spawner.mem_limit}"] if spawner.mem_limit else []
    if MAVEN_REPO:
        options.append(f"-Dmaven.repo.local={MAVEN_REPO}")
    return " ".join(options)


c.Spawner.environment = {
    "JUPYTER_PATH": str(KERNEL_PREFIX / "share" / "jupyter"),
    "JDK_JAVA_OPTIONS": _java_options,
}

# Idle kernels are shut down inside a running server; idle servers are stopped by the culler service below.
kernel_cull = int(_env("RNNLAB_HUB_KERNEL_CULL_TIMEOUT", "1200"))
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={kernel_cull}",
    f"--MappingKernelManager.cull_interval={max(1, min(60, kernel_cull // 2))}",
    "--MappingKernelManager.cull_connected=True",
]
if os.getuid() == 0:
    # Only here, where every student runs as the hub's own account (tests in a root container, CI): Jupyter
    # refuses root unless told. With real per-student accounts (SystemdSpawner, containers) this never applies.
    c.Spawner.args.append("--ServerApp.allow_root=True")

# -- the lessons: copied into the student's home on the first spawn, never overwritten afterwards (a student's
# edits are theirs). Courses that update lessons during the term hand out an nbgitpuller link instead.
LESSONS = os.environ.get("RNNLAB_HUB_LESSONS", str(ROOT / "notebooks"))
LESSON_SKIP = shutil.ignore_patterns("tests", "tools", ".ipynb_checkpoints", "__pycache__")


def _first_spawn(spawner):
    home = pathlib.Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    if LESSONS and not (home / "lessons").exists():
        shutil.copytree(LESSONS, home / "lessons", ignore=LESSON_SKIP)


c.Spawner.pre_spawn_hook = _first_spawn

# -- culling idle servers: jupyterhub-idle-culler as a hub-managed service with just the rights it needs.
cull_timeout = int(_env("RNNLAB_HUB_CULL_TIMEOUT", "3600"))
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_timeout}",
                f"--cull-every={max(1, min(300, cull_timeout // 2))}"],
}]
# How often the hub asks the proxy which routes saw traffic (the culler's notion of activity).
c.JupyterHub.last_activity_interval = max(1, min(300, cull_timeout // 4))
