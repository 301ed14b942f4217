// THE list of platforms. A new platform is its folder (src/platforms/<name>/, with a
// platform.ts exporting its PlatformModule) plus its entry here; config and app.ts read
// everything else from the module. Order is the order of settings errors and of start-up.
import { discordPlatform } from './discord/platform.js';
import type { AnyPlatformModule } from './module.js';
import { slackPlatform } from './slack/platform.js';

export const PLATFORMS = [discordPlatform, slackPlatform] as const satisfies readonly AnyPlatformModule[];
