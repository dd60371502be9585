/** What `service install` writes, built as text so that --dry-run and tests see exactly that. */
export interface ServiceSpec {
  name: string;
  user: string;
  /** Absolute paths. */
  node: string;
  bin: string;
  script: string;
  /** Extra `run` arguments (e.g. --legacy). */
  args: string[];
  url: string[];
  token: string | undefined;
  envFile: string;
  stateFile: string;
  workingDirectory: string;
}

/**
 * Quotes one ExecStart argument as systemd.service(5) reads it: double quotes around anything
 * with spaces or quotes, and `%`/`$` doubled so systemd does not expand them.
 */
export function systemdArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (/^[\w@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function unitName(name: string): string {
  return `shuttle-cti-${name}.service`;
}

export function renderUnit(spec: ServiceSpec): string {
  const exec = [spec.node, spec.bin, 'run', spec.script, '--state-file', spec.stateFile, ...spec.args].map(systemdArg).join(' ');
  return `# Written by \`shuttle-cti service install\`; run it again to change this unit.
[Unit]
Description=shuttle-cti integration ${spec.name}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${spec.user}
# The hub URL and the token live here, readable by ${spec.user} only.
EnvironmentFile=${spec.envFile}
WorkingDirectory=${spec.workingDirectory.replace(/%/g, '%%')}
ExecStart=${exec}
Restart=on-failure
RestartSec=5
# 2 bad usage, 3 broken script, 4 token refused: restarting cannot fix these.
RestartPreventExitStatus=2 3 4
# /var/lib/shuttle-cti, owned by ${spec.user}: the last event seq, to resume after a restart.
StateDirectory=shuttle-cti
StandardOutput=journal
StandardError=journal
SyslogIdentifier=shuttle-cti-${spec.name}
NoNewPrivileges=true
PrivateTmp=true
ProtectSystem=full

[Install]
WantedBy=multi-user.target
`;
}

/** The environment file; `reveal: false` masks the token, for printing. */
export function renderEnvFile(spec: ServiceSpec, reveal: boolean): string {
  const token =
    spec.token === undefined ? '' : reveal ? spec.token : `<hidden: ${spec.token.length} characters>`;
  return `# shuttle-cti integration ${spec.name}: environment for ${unitName(spec.name)} (mode 0600).
SHUTTLE_CTI_URL=${spec.url.join(',')}
SHUTTLE_CTI_TOKEN=${token}
`;
}
