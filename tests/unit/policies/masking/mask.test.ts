import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';

import { mask } from '../../../../policies/src/masking/index.js';
import {
  MASK_KINDS,
  type MaskKind,
} from '../../../../policies/src/model/index.js';

/** The digest the gateway is expected to inject: keyed, so not enumerable. */
const hmac = (value: string) =>
  createHmac('sha256', 'test-key').update(value, 'utf8').digest('hex');

describe('mask: ID_NUMBER', () => {
  it('keeps the first 6 and last 4 characters', () => {
    assert.equal(mask('ID_NUMBER', '500103198506011234'), '500103********1234');
    assert.equal(mask('ID_NUMBER', '50010319850601123X'), '500103********123X');
  });

  it('masks a 15-digit first-generation number the same way', () => {
    assert.equal(mask('ID_NUMBER', '500103850601123'), '500103*****1123');
  });

  it('stars a value too short to keep both ends', () => {
    assert.equal(mask('ID_NUMBER', '5001031234'), '**********');
    assert.equal(mask('ID_NUMBER', '12'), '**');
    assert.equal(mask('ID_NUMBER', '50010312345'), '500103*2345');
  });
});

describe('mask: MOBILE', () => {
  it('keeps the first 3 and last 4 digits', () => {
    assert.equal(mask('MOBILE', '13812345678'), '138****5678');
  });

  it('stars a value too short to keep both ends', () => {
    assert.equal(mask('MOBILE', '1234567'), '*******');
    assert.equal(mask('MOBILE', '12345678'), '123*5678');
  });
});

describe('mask: NAME', () => {
  it('keeps the first character and hides the length', () => {
    assert.equal(mask('NAME', '王小明'), '王**');
    assert.equal(mask('NAME', '王五'), '王**');
    assert.equal(mask('NAME', '欧阳娜娜'), '欧**');
    assert.equal(mask('NAME', 'Zhang San'), 'Z**');
  });

  it('stars a one-character name entirely', () => {
    assert.equal(mask('NAME', '王'), '*');
  });

  it('counts characters outside the BMP as one', () => {
    assert.equal(mask('NAME', '𠀀小明'), '𠀀**');
    assert.equal(mask('NAME', '𠀀'), '*');
  });
});

describe('mask: ADDRESS', () => {
  it('keeps the text up to the district after 重庆市', () => {
    assert.equal(
      mask('ADDRESS', '重庆市渝中区解放碑街道民权路27号5-3'),
      '重庆市渝中区****',
    );
    assert.equal(
      mask('ADDRESS', '重庆市两江新区金山街道'),
      '重庆市两江新区****',
    );
  });

  it('keeps the text up to the county', () => {
    assert.equal(mask('ADDRESS', '重庆市城口县葛城街道'), '重庆市城口县****');
    assert.equal(
      mask('ADDRESS', '重庆市彭水苗族土家族自治县汉葭街道'),
      '重庆市彭水苗族土家族自治县****',
    );
  });

  it('stops at a county-level 市 after the city prefix', () => {
    assert.equal(
      mask('ADDRESS', '四川省成都市武侯区人民南路'),
      '四川省成都市****',
    );
  });

  it('searches from the start when the city prefix is missing', () => {
    assert.equal(mask('ADDRESS', '渝中区民族路1号'), '渝中区****');
  });

  it('keeps only the city when no district follows closely', () => {
    assert.equal(mask('ADDRESS', '重庆市解放碑民族路88号'), '重庆市****');
    // A 区 deep in the street part must not carry the street with it.
    assert.equal(
      mask('ADDRESS', '重庆市解放碑民族路八十八号大厦东区'),
      '重庆市****',
    );
    assert.equal(mask('ADDRESS', 'Unknown street 5'), '****');
  });

  it('leaves the empty string empty', () => {
    assert.equal(mask('ADDRESS', ''), '');
  });
});

describe('mask: DATE_TO_YEAR', () => {
  it('keeps the year of dates and timestamps', () => {
    assert.equal(mask('DATE_TO_YEAR', '1985-06-01'), '1985');
    assert.equal(mask('DATE_TO_YEAR', '1985/6/1'), '1985');
    assert.equal(mask('DATE_TO_YEAR', '1985年6月1日'), '1985');
    assert.equal(mask('DATE_TO_YEAR', '19850601'), '1985');
    assert.equal(mask('DATE_TO_YEAR', '1985-06-01T08:00:00+08:00'), '1985');
    assert.equal(mask('DATE_TO_YEAR', '1985'), '1985');
  });

  it('hides text that does not start with a year', () => {
    for (const text of ['85-06-01', '198506', 'June 1985', '１９８５-06-01']) {
      assert.equal(mask('DATE_TO_YEAR', text), '****', text);
    }
  });
});

describe('mask: HASH', () => {
  it('digests with the injected function, deterministically', () => {
    const digest = mask('HASH', '500103198506011234', { hash: hmac });
    assert.equal(digest, hmac('500103198506011234'));
    assert.equal(mask('HASH', '500103198506011234', { hash: hmac }), digest);
    assert.notEqual(mask('HASH', '500103198506011235', { hash: hmac }), digest);
    assert.equal(mask('HASH', '', { hash: hmac }), hmac(''));
    assert.equal(mask('HASH', '王小明', { hash: hmac }), hmac('王小明'));
  });

  it('refuses to hash without a digest rather than pass the value through', () => {
    assert.throws(
      () => mask('HASH', '13812345678'),
      /HASH needs options\.hash/,
    );
  });
});

describe('mask: any kind', () => {
  it('keeps null and undefined', () => {
    for (const kind of MASK_KINDS) {
      assert.equal(mask(kind, null), null);
      assert.equal(mask(kind, undefined), undefined);
    }
  });

  it('withholds non-text values as null', () => {
    for (const kind of MASK_KINDS) {
      for (const value of [13812345678, 0, true, { a: 1 }, 10n]) {
        assert.equal(
          mask(kind, value, { hash: hmac }),
          null,
          `${kind} ${String(value)}`,
        );
      }
    }
  });

  it('masks lists element by element', () => {
    assert.deepEqual(
      mask('MOBILE', ['13812345678', null, 5, ['13900001111']]),
      ['138****5678', null, null, ['139****1111']],
    );
  });

  it('leaves the empty string empty for every kind but HASH', () => {
    for (const kind of MASK_KINDS.filter((k) => k !== 'HASH')) {
      assert.equal(mask(kind, ''), '', kind);
    }
  });

  it('never returns a non-empty input unchanged', () => {
    const samples = [
      '500103198506011234',
      '13812345678',
      '王小明',
      '重庆市渝中区解放碑',
      'x',
    ];
    for (const kind of MASK_KINDS) {
      for (const sample of samples) {
        assert.notEqual(
          mask(kind, sample, { hash: hmac }),
          sample,
          `${kind} ${sample}`,
        );
      }
    }
  });

  it('throws on a kind that is not a mask kind', () => {
    for (const kind of ['PHONE', 'constructor', '__proto__']) {
      assert.throws(() => mask(kind as MaskKind, 'x'), /unknown mask kind/);
      assert.throws(() => mask(kind as MaskKind, null), /unknown mask kind/);
    }
  });
});
