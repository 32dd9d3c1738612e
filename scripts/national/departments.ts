/**
 * Paraguay's 17 departments and the capital, with the codes of the statistics office and the education
 * ministry (00 Asunción … 17 Alto Paraguay; copied from the shared facts, as CI has no copy of them), their
 * districts, a rough population (thousands, 2022 census order of magnitude) and the share of it that is
 * rural. District codes are department + a two-digit number in the order listed: plausible, official
 * for some (0101 Concepción, 1604 Filadelfia), not checked for the others.
 */
export type Department = { code: string; name: string; capital: string; population: number; rural: number; districts: string[] };

export const DEPARTMENTS: Department[] = [
  { code: '00', name: 'Asunción', capital: 'Asunción', population: 462, rural: 0, districts: ['Asunción'] },
  {
    code: '01', name: 'Concepción', capital: 'Concepción', population: 259, rural: 0.55,
    districts: ['Concepción', 'Belén', 'Horqueta', 'Loreto', 'San Carlos del Apa', 'San Lázaro', 'Yby Yaú', 'Azotey', 'Sargento José Félix López', 'San Alfredo', 'Paso Barreto', 'Arroyito'],
  },
  {
    code: '02', name: 'San Pedro', capital: 'San Pedro del Ycuamandiyú', population: 446, rural: 0.8,
    districts: ['San Pedro del Ycuamandiyú', 'Antequera', 'Choré', 'General Elizardo Aquino', 'Itacurubí del Rosario', 'Lima', 'Nueva Germania', 'San Estanislao', 'San Pablo', 'Tacuatí', 'Unión', '25 de Diciembre', 'Villa del Rosario', 'General Francisco Isidoro Resquín', 'Yataity del Norte', 'Guayaibí', 'Capiibary', 'Santa Rosa del Aguaray', 'Yrybucuá', 'Liberación', 'San Vicente Pancholo', 'San José del Rosario'],
  },
  {
    code: '03', name: 'Cordillera', capital: 'Caacupé', population: 315, rural: 0.6,
    districts: ['Caacupé', 'Altos', 'Arroyos y Esteros', 'Atyrá', 'Caraguatay', 'Emboscada', 'Eusebio Ayala', 'Isla Pucú', 'Itacurubí de la Cordillera', 'Juan de Mena', 'Loma Grande', 'Mbocayaty del Yhaguy', 'Nueva Colombia', 'Piribebuy', 'Primero de Marzo', 'San Bernardino', 'Santa Elena', 'Tobatí', 'Valenzuela', 'San José Obrero'],
  },
  {
    code: '04', name: 'Guairá', capital: 'Villarrica', population: 220, rural: 0.6,
    districts: ['Villarrica', 'Borja', 'Capitán Mauricio José Troche', 'Coronel Martínez', 'Félix Pérez Cardozo', 'General Eugenio A. Garay', 'Independencia', 'Itapé', 'Iturbe', 'José Fassardi', 'Mbocayaty', 'Natalicio Talavera', 'Ñumí', 'San Salvador', 'Yataity', 'Doctor Bottrell', 'Paso Yobái', 'Tebicuary'],
  },
  {
    code: '05', name: 'Caaguazú', capital: 'Coronel Oviedo', population: 560, rural: 0.6,
    districts: ['Coronel Oviedo', 'Caaguazú', 'Carayaó', 'Doctor Cecilio Báez', 'Santa Rosa del Mbutuy', 'Doctor Juan Manuel Frutos', 'Repatriación', 'Nueva Londres', 'San Joaquín', 'San José de los Arroyos', 'Yhú', 'Doctor J. Eulogio Estigarribia', 'R. I. Tres Corrales', 'Raúl Arsenio Oviedo', 'José Domingo Ocampos', 'Mariscal Francisco Solano López', 'La Pastora', '3 de Febrero', 'Simón Bolívar', 'Vaquería', 'Tembiaporá', 'Nueva Toledo'],
  },
  {
    code: '06', name: 'Caazapá', capital: 'Caazapá', population: 188, rural: 0.8,
    districts: ['Caazapá', 'Abaí', 'Buena Vista', 'Doctor Moisés S. Bertoni', 'General Higinio Morínigo', 'Maciel', 'San Juan Nepomuceno', 'Tavaí', 'Yegros', 'Yuty', '3 de Mayo'],
  },
  {
    code: '07', name: 'Itapúa', capital: 'Encarnación', population: 600, rural: 0.55,
    districts: ['Encarnación', 'Bella Vista', 'Cambyretá', 'Capitán Meza', 'Capitán Miranda', 'Nueva Alborada', 'Carmen del Paraná', 'Coronel Bogado', 'Carlos Antonio López', 'Natalio', 'Fram', 'General Artigas', 'General Delgado', 'Hohenau', 'Jesús', 'José Leandro Oviedo', 'Obligado', 'Mayor Julio D. Otaño', 'San Cosme y Damián', 'San Pedro del Paraná', 'San Rafael del Paraná', 'Trinidad', 'Edelira', 'Tomás Romero Pereira', 'Alto Verá', 'La Paz', 'Yatytay', 'San Juan del Paraná', 'Pirapó', 'Itapúa Poty'],
  },
  {
    code: '08', name: 'Misiones', capital: 'San Juan Bautista', population: 128, rural: 0.45,
    districts: ['San Juan Bautista', 'Ayolas', 'San Ignacio', 'San Miguel', 'San Patricio', 'Santa María', 'Santa Rosa', 'Santiago', 'Villa Florida', 'Yabebyry'],
  },
  {
    code: '09', name: 'Paraguarí', capital: 'Paraguarí', population: 251, rural: 0.7,
    districts: ['Paraguarí', 'Acahay', 'Caapucú', 'Caballero', 'Carapeguá', 'Escobar', 'La Colmena', 'Mbuyapey', 'Pirayú', 'Quiindy', 'Quyquyhó', 'San Roque González de Santa Cruz', 'Sapucai', 'Tebicuarymí', 'Yaguarón', 'Ybycuí', 'Ybytymí'],
  },
  {
    code: '10', name: 'Alto Paraná', capital: 'Ciudad del Este', population: 823, rural: 0.3,
    districts: ['Ciudad del Este', 'Presidente Franco', 'Domingo Martínez de Irala', 'Doctor Juan León Mallorquín', 'Hernandarias', 'Itakyry', "Juan E. O'Leary", 'Ñacunday', 'Yguazú', 'Los Cedrales', 'Minga Guazú', 'San Cristóbal', 'Santa Rita', 'Naranjal', 'Santa Rosa del Monday', 'Minga Porá', 'Mbaracayú', 'San Alberto', 'Iruña', 'Santa Fe del Paraná', 'Tavapy', 'Doctor Raúl Peña'],
  },
  {
    code: '11', name: 'Central', capital: 'Areguá', population: 2100, rural: 0.1,
    districts: ['Areguá', 'Capiatá', 'Fernando de la Mora', 'Guarambaré', 'Itá', 'Itauguá', 'Lambaré', 'Limpio', 'Luque', 'Mariano Roque Alonso', 'Nueva Italia', 'Ñemby', 'San Antonio', 'San Lorenzo', 'Villa Elisa', 'Villeta', 'Ypacaraí', 'Ypané', 'J. Augusto Saldívar'],
  },
  {
    code: '12', name: 'Ñeembucú', capital: 'Pilar', population: 90, rural: 0.45,
    districts: ['Pilar', 'Alberdi', 'Cerrito', 'Desmochados', 'General José Eduvigis Díaz', 'Guazú Cuá', 'Humaitá', 'Isla Umbú', 'Laureles', 'Mayor José J. Martínez', 'Paso de Patria', 'San Juan Bautista del Ñeembucú', 'Tacuaras', 'Villa Franca', 'Villa Oliva', 'Villalbín'],
  },
  { code: '13', name: 'Amambay', capital: 'Pedro Juan Caballero', population: 180, rural: 0.3, districts: ['Pedro Juan Caballero', 'Bella Vista Norte', 'Capitán Bado', 'Zanja Pytã', 'Karapaí'] },
  {
    code: '14', name: 'Canindeyú', capital: 'Salto del Guairá', population: 234, rural: 0.7,
    districts: ['Salto del Guairá', 'Corpus Christi', 'Curuguaty', 'Villa Ygatimí', 'Itanará', 'Ypejhú', 'Francisco Caballero Álvarez', 'Katueté', 'La Paloma del Espíritu Santo', 'Nueva Esperanza', 'Yasy Cañy', 'Ybyrarobaná', 'Yby Pytã', 'Maracaná', 'Puerto Adela', 'Laurel'],
  },
  {
    code: '15', name: 'Presidente Hayes', capital: 'Villa Hayes', population: 127, rural: 0.55,
    districts: ['Villa Hayes', 'Benjamín Aceval', 'Puerto Pinasco', 'Nanawa', 'José Falcón', 'Teniente Primero Manuel Irala Fernández', 'Teniente Esteban Martínez', 'General José María Bruguez'],
  },
  { code: '16', name: 'Boquerón', capital: 'Filadelfia', population: 70, rural: 0.6, districts: ['Mariscal José Félix Estigarribia', 'Doctor Pedro P. Peña', 'Loma Plata', 'Filadelfia', 'Boquerón'] },
  { code: '17', name: 'Alto Paraguay', capital: 'Fuerte Olimpo', population: 17, rural: 0.6, districts: ['Fuerte Olimpo', 'Puerto Casado', 'Bahía Negra', 'Carmelo Peralta'] },
];

/** A district's 4-digit code: its department's code and its place in the department's list. */
export function districtCode(department: Department, index: number): string {
  return `${department.code}${String(index + 1).padStart(2, '0')}`;
}
