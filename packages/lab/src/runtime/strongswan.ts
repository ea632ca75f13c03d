/**
 * strongSwan's files for one tunnel end (or point-to-site server or client): strongswan.conf
 * (kernel-libipsec for ESP in user space, the vici socket and log in the node's folder, a lab's
 * retransmission timers) and swanctl.conf (the connection and its pre-shared key, 0600).
 */
import type { IkeConfig, IkeConnection } from '../ir.ts';

const PLUGINS = 'random nonce aes sha1 sha2 hmac kdf gcm pem pkcs1 x509 pubkey gmp openssl kernel-libipsec kernel-netlink socket-default vici updown attr';

export function strongswanConf(dir: string): string {
  return [
    'charon {',
    `  load = ${PLUGINS}`,
    '  install_routes = no',
    '  retransmit_tries = 3',
    '  retransmit_timeout = 1.0',
    '  retransmit_base = 1.5',
    '  plugins {',
    `    vici { socket = unix://${dir}/charon.vici }`,
    '  }',
    '  filelog {',
    '    lab {',
    `      path = ${dir}/charon.log`,
    '      default = 1',
    '      flush_line = yes',
    '      time_format = %T',
    '    }',
    '  }',
    '  syslog {',
    '    daemon {',
    '      default = -1',
    '    }',
    '  }',
    '}',
    'swanctl {',
    `  socket = unix://${dir}/charon.vici`,
    '  load = pem pkcs1 x509 pubkey openssl random',
    '}',
    '',
  ].join('\n');
}

/** swanctl.conf with the keys resolved (never logged; the file is the node's, mode 0600). */
export function swanctlConf(ike: IkeConfig, secret: (id: string) => string, updown: string): string {
  const lines = ['connections {'];
  for (const c of ike.connections) lines.push(...connection(c, updown));
  lines.push('}');
  const pools = ike.connections.flatMap((c) => (c.pool ? [c.pool] : []));
  if (pools.length > 0) lines.push('pools {', ...pools.flatMap((p) => [`  ${p.name} {`, `    addrs = ${p.addrs}`, '  }']), '}');
  lines.push('secrets {');
  ike.connections.forEach((c, i) => {
    lines.push(`  ike-${i} {`);
    if (c.remoteId !== '%any') lines.push(`    id-local = ${c.localId}`, `    id-remote = ${c.remoteId}`);
    lines.push(`    secret = "${secret(c.secret)}"`, '  }');
  });
  lines.push('}', '');
  return lines.join('\n');
}

function connection(c: IkeConnection, updown: string): string[] {
  const hook = c.inner ? `${updown} inner ${c.inner.ifname} ${c.inner.via}` : c.tunnelRoutes ? `${updown} routes ${c.tunnelRoutes.join(' ')}` : undefined;
  return [
    `  ${c.name} {`,
    '    version = 2',
    `    local_addrs = ${c.local}`,
    ...(c.remote ? [`    remote_addrs = ${c.remote}`] : []),
    '    encap = yes',
    '    mobike = no',
    `    proposals = ${c.ike.join(',')}`,
    `    rekey_time = ${c.ikeLifetime}s`,
    '    dpd_delay = 1s',
    '    keyingtries = 0',
    '    unique = replace',
    ...(c.vip ? ['    vips = 0.0.0.0'] : []),
    ...(c.pool ? [`    pools = ${c.pool.name}`] : []),
    '    local {',
    '      auth = psk',
    `      id = ${c.localId}`,
    '    }',
    '    remote {',
    '      auth = psk',
    `      id = ${c.remoteId}`,
    '    }',
    '    children {',
    `      ${c.name} {`,
    '        local_ts = 0.0.0.0/0',
    '        remote_ts = 0.0.0.0/0',
    `        esp_proposals = ${c.esp.join(',')}`,
    `        rekey_time = ${c.childLifetime}s`,
    `        start_action = ${c.initiate ? 'start' : 'none'}`,
    `        dpd_action = ${c.initiate ? 'restart' : 'clear'}`,
    `        close_action = ${c.initiate ? 'start' : 'none'}`,
    ...(hook ? [`        updown = ${hook}`] : []),
    '      }',
    '    }',
    '  }',
  ];
}
