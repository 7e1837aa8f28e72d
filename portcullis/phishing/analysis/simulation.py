"""Mystery-shopper (simulation) mails, recognised by their host and token so reports can be
credited to the test's target."""

from __future__ import annotations

from portcullis.lib.observables import url_host

from . import domains
from .model import AnalysisContext, Findings


def check_simulation(context: AnalysisContext, findings: Findings) -> None:
    obs = findings.observables
    for url in obs.urls:
        host = url_host(url)
        if context.simulation_host and not domains.is_protected(host, (context.simulation_host,)):
            continue
        if context.simulation_token_pattern is None:
            continue
        match = context.simulation_token_pattern.search(url)
        if match:
            obs.simulation_token = match.group(1) if match.groups() else match.group(0)
            findings.flag("simulation.token", f"simulation link {url[:120]}")
            return
