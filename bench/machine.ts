import os from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memory: string;
  node: string;
  v8: string;
  os: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))];
  return {
    cpuModel: models.join(' / ') || 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB total`,
    node: process.version,
    v8: `V8 ${process.versions.v8}`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
