import { NativeConnection } from '@temporalio/worker';
import { Connection, Client } from '@temporalio/client';
const t = Date.now();
try { await NativeConnection.connect({ address: '127.0.0.1:1' }); } catch (e: any) { console.log('native', e?.constructor?.name, e?.name, e?.message, Date.now()-t); }
const c = Connection.lazy({ address: '127.0.0.1:1' });
const t2 = Date.now();
try { await c.withDeadline(Date.now()+3000, () => c.workflowService.getSystemInfo({})); } catch (e: any) { console.log('lazy', e?.constructor?.name, e?.code, e?.message, Date.now()-t2); }
const t3 = Date.now();
try { await c.workflowService.getSystemInfo({}); } catch (e: any) { console.log('lazy nodeadline', e?.constructor?.name, e?.code, e?.message, Date.now()-t3); }
await c.close();
