import { describe, expect, it } from 'vitest';
import { shortCompanyName } from './demo-catalogue';
import { budgetRange } from './generator';

describe('demo names and budgets as people write them', () => {
  it('drops the legal form, the longest one a name ends with', () => {
    expect(shortCompanyName('天津德信电子商务有限责任公司')).toBe('天津德信电子商务');
    expect(shortCompanyName('上海启明健康管理股份有限公司')).toBe('上海启明健康管理');
    expect(shortCompanyName('厦门鼎盛数据科技有限公司')).toBe('厦门鼎盛数据科技');
    expect(shortCompanyName('Evergreen Manufacturing Co., Ltd.')).toBe('Evergreen Manufacturing');
    expect(shortCompanyName('Harbor Health Inc.')).toBe('Harbor Health');
    expect(shortCompanyName('Blue River Systems 2 Limited')).toBe('Blue River Systems 2');
  });

  it('states ±20 % in 万元, to 0.1 万 below 10 万', () => {
    // amounts in 分: 1 万元 = 1,000,000 分
    expect(budgetRange(1_000_000)).toBe('0.8-1.2 万元');
    expect(budgetRange(4_610_000)).toBe('3.7-5.5 万元'); // 3.688 -> 3.7, 5.532 -> 5.5
    expect(budgetRange(43_220_000)).toBe('35-52 万元'); // 34.576 -> 35, 51.864 -> 52
  });
});
