/**
 * npm run dashboards:render — runs the short pipeline against a dedicated local broker
 * (with the JMX exporter), node-exporter and a real Prometheus, then draws every panel of
 * the App overview from that data into docs/img/dashboards/ (about two minutes).
 */
import { readDashboardFiles } from '../src/dashboard-files';
import { renderDashboard } from '../src/live/render';
import { startLiveStack } from '../src/live/stack';
import { paths } from '../src/paths';

const durationMs = Number(process.env.RENDER_DURATION_MS ?? 60_000);
const overview = readDashboardFiles().find((d) => d.dashboard.uid === 'streamtune-app-overview');
if (!overview) throw new Error('dashboards/app-overview.json is missing');

const stack = await startLiveStack({ durationMs, log: (line) => console.log(`[render] ${line}`) });
let failed = false;
try {
  const written = await renderDashboard(
    stack.prometheus.url,
    overview.dashboard,
    { start: stack.startedAt, end: stack.endedAt + 3, stepS: 2 },
    paths.dashboardImages(),
    'app-overview',
  );
  for (const w of written)
    console.log(`docs/img/dashboards/${w.file}: ${w.panel.title} (${w.series} series)`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stack.stop();
}
// kafkajs leaves reconnect timers behind; the work is done
process.exit(failed ? 1 : 0);
