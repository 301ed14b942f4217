// INTERACTION_CREATE payloads for slash commands, as Discord sends them.
export interface InteractOptions {
  name: string;
  subcommand?: string;
  options?: Record<string, string | number>;
  /** Attachment options: name → {filename, url, size}. */
  attachments?: Record<string, { filename: string; url: string; size: number }>;
  channelId?: string;
  guildId?: string;
  userId?: string;
  /** Member permission bits as a decimal string; default: all. */
  permissions?: string;
  /** Herald's own permission bits in the channel (app_permissions); default: all. */
  appPermissions?: string;
  /** ROLE options: option name → role id (sent with data.resolved.roles, as Discord does). */
  roles?: Record<string, string>;
}

const ALL_PERMISSIONS = '2251799813685247';

export function interactionPayload(o: InteractOptions & { guildId: string; channelId: string; channelType?: number }, id: string, appId: string) {
  const user = { id: o.userId ?? '400000000000000001', username: 'admin', discriminator: '0', avatar: null, global_name: 'Admin' };
  const resolvedAttachments: Record<string, unknown> = {};
  const leaf: { name: string; type: number; value: string | number }[] = [];
  for (const [name, value] of Object.entries(o.options ?? {})) leaf.push({ name, type: typeof value === 'number' ? 4 : 3, value });
  for (const [name, a] of Object.entries(o.attachments ?? {})) {
    const aid = `${id}${leaf.length}`;
    resolvedAttachments[aid] = { id: aid, filename: a.filename, url: a.url, proxy_url: a.url, size: a.size, content_type: 'text/x-opml' };
    leaf.push({ name, type: 11, value: aid });
  }
  const resolvedRoles: Record<string, unknown> = {};
  for (const [name, roleId] of Object.entries(o.roles ?? {})) {
    resolvedRoles[roleId] = { id: roleId, name: `role-${roleId}`, color: 0, hoist: false, icon: null, unicode_emoji: null, position: 1, permissions: '0', managed: false, mentionable: true, flags: 0 };
    leaf.push({ name, type: 8, value: roleId });
  }
  const resolved = {
    ...(Object.keys(resolvedAttachments).length ? { attachments: resolvedAttachments } : {}),
    ...(Object.keys(resolvedRoles).length ? { roles: resolvedRoles } : {}),
  };
  const options = o.subcommand ? [{ name: o.subcommand, type: 1, options: leaf }] : leaf;
  return {
    id,
    token: `token-${id}`,
    type: 2,
    version: 1,
    application_id: appId,
    guild_id: o.guildId,
    channel_id: o.channelId,
    channel: { id: o.channelId, type: o.channelType ?? 0, name: `channel-${o.channelId}`, guild_id: o.guildId },
    member: { user, roles: [], permissions: o.permissions ?? ALL_PERMISSIONS, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
    app_permissions: o.appPermissions ?? ALL_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': o.guildId },
    context: 0,
    data: {
      id: `${id}9`,
      name: o.name,
      type: 1,
      options,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    },
  };
}
